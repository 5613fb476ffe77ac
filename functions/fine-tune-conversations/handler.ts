import { listConversations } from "../../shared/chat/conversations.ts";
import { conversationsQuery } from "../../shared/chat/schemas.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

/** GET /fine-tune-conversations/:modelId?limit=&cursor= — the caller's own conversations, newest first. */
export default defineEndpoint({
  name: "fine-tune-conversations",
  methods: ["GET"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  query: conversationsQuery,
  async handle({ auth, params: { modelId }, query }) {
    return { body: await listConversations(auth, modelId, query) };
  },
});
