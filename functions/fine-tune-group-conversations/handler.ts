import { listGroupConversations, readGroupConversation } from "../../shared/chat/group-conversations.ts";
import { groupConversationListResponse, groupConversationResponse } from "../../shared/chat/group-responses.ts";
import { groupConversationsQuery } from "../../shared/chat/group-schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";

/**
 * GET /fine-tune-group-conversations?limit=&cursor= — the caller's own group conversations, newest
 * first, with their participants; ?conversationId= — one of them with every message in order.
 */
export default defineEndpoint({
  name: "fine-tune-group-conversations",
  methods: ["GET"],
  auth: "user",
  query: groupConversationsQuery,
  summary: "The caller's own group conversations, or one of them in order",
  responses: {
    200: {
      description: "A page of group conversations with their participants, or (with `conversationId`) that conversation with its messages",
      schema: groupConversationListResponse.or(groupConversationResponse),
    },
    404: { description: "No such conversation, or one that is not the caller's", schema: errorBody },
  },
  async handle({ auth, query }) {
    if (query.conversationId) return { body: await readGroupConversation(auth, query.conversationId) };
    return { body: await listGroupConversations(auth, query) };
  },
});
