import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody } from "../../shared/errors.ts";
import { rateExchange } from "../../shared/chat/rating.ts";
import { chatIdParams, chatIdPath, chatRatedResponse, rateChatBody } from "../../shared/chat/rating-schemas.ts";

/**
 * PUT /fine-tune-chat-rating/:chatId — the user who chatted rates a reply (one-to-one or group); the
 * model's owner can later turn their own up-rated one-to-one exchanges into training examples.
 */
export default defineEndpoint({
  name: "fine-tune-chat-rating",
  methods: ["PUT"],
  auth: "user",
  path: chatIdPath,
  params: chatIdParams,
  body: rateChatBody,
  summary: "Rate a reply of an own conversation",
  description: "`up`, `down`, or `null` to take the rating back. Only the user who chatted; " +
    "`chatId` is a message's `chatId` in GET /fine-tune-conversations, or a group reply's `messageId` " +
    "(POST /fine-tune-group-chat, GET /fine-tune-group-conversations/:conversationId).",
  responses: {
    200: { description: "The rating as stored", schema: chatRatedResponse },
    404: { description: "No such exchange, or not the caller's", schema: errorBody },
  },
  async handle({ auth, params: { chatId }, body }) {
    return { body: { chatId, rating: await rateExchange(auth, chatId, body.rating) } };
  },
});
