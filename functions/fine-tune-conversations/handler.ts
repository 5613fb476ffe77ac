import { listConversations } from "../../shared/chat/conversations.ts";
import { conversationsQuery } from "../../shared/chat/schemas.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { conversationListResponse } from "../../shared/chat/responses.ts";

/** GET /fine-tune-conversations/:modelId?limit=&cursor= — the caller's own conversations, newest first. */
export default defineEndpoint({
  name: "fine-tune-conversations",
  methods: ["GET"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  query: conversationsQuery,
  summary: "The caller's own conversations with a model, newest first",
  responses: {
    200: { description: "A page of conversations with their messages", schema: conversationListResponse },
    404: { description: "No such model, or one the caller may not see", schema: errorBody },
  },
  async handle({ auth, params: { modelId }, query }) {
    return { body: await listConversations(auth, modelId, query) };
  },
});
