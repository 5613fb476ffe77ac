import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody } from "../../shared/errors.ts";
import { rewindConversation } from "../../shared/chat/alternative-store.ts";
import { rewoundResponse } from "../../shared/chat/alternative-schemas.ts";
import { chatIdParams, chatIdPath } from "../../shared/chat/rating-schemas.ts";

/**
 * DELETE /fine-tune-chat-rewind/:chatId — deletes an own exchange and every later one of its
 * conversation: they leave chat_count, ratings and the examples taken from them; spend and the
 * day's quota turns stay (paid for).
 */
export default defineEndpoint({
  name: "fine-tune-chat-rewind",
  methods: ["DELETE"],
  auth: "user",
  path: chatIdPath,
  params: chatIdParams,
  summary: "Rewind a conversation to before an exchange",
  description: "Deletes the exchange and every later one, with their replies. Spend already paid and " +
    "the day's quota turns stay.",
  responses: {
    200: { description: "How many exchanges went", schema: rewoundResponse },
    404: { description: "No such exchange, or not the caller's", schema: errorBody },
  },
  async handle({ auth, params: { chatId } }) {
    return { body: { removed: await rewindConversation(auth, chatId) } };
  },
});
