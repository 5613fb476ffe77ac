import { listConversations, nameConversation } from "../../shared/chat/conversations.ts";
import { conversationsQuery, conversationTitleBody } from "../../shared/chat/schemas.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { conversationListResponse, conversationTitleResponse } from "../../shared/chat/responses.ts";

const name = "fine-tune-conversations";

/**
 * The caller's own conversations with a model. GET /:modelId?limit=&cursor= lists them, newest
 * first; PUT /:modelId `{ conversationId, title }` names one (private to the caller).
 */
export default defineRoutes(
  defineEndpoint({
    name,
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
  }),
  defineEndpoint({
    name,
    methods: ["PUT"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    body: conversationTitleBody,
    summary: "Name one of the caller's conversations with a model",
    description: "The name shows in the conversation list instead of the first message; only the caller sees it. " +
      "Naming it again renames it.",
    responses: {
      200: { description: "The name as stored", schema: conversationTitleResponse },
      404: { description: "No such conversation of the caller's with this model", schema: errorBody },
    },
    async handle({ auth, params: { modelId }, body }) {
      return { body: await nameConversation(auth, modelId, body.conversationId, body.title) };
    },
  }),
);
