import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import { answerAgain } from "../../shared/chat/alternatives.ts";
import { chooseAlternative, listAlternatives } from "../../shared/chat/alternative-store.ts";
import {
  alternativeChosenResponse,
  alternativeListResponse,
  chooseAlternativeBody,
  newReplyBody,
  newReplyResponse,
} from "../../shared/chat/alternative-schemas.ts";
import { chatIdParams, chatIdPath } from "../../shared/chat/rating-schemas.ts";
import { replyFailureResponses } from "../../shared/chat/turn-responses.ts";

const name = "fine-tune-chat-alternatives";
const notYours = { description: "No such exchange (or reply), or not the caller's", schema: errorBody };
const notLast = { description: "The exchange is no longer its conversation's last", schema: errorBody };

/**
 * The replies of one exchange ("swipes"): GET lists them, POST asks for another (regenerate, edit
 * the reader's message, continue a cut-off reply), PUT chooses one. Only the caller's own
 * exchanges, and only the last of a conversation changes; `ai_response` is always the chosen reply.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: chatIdPath,
    params: chatIdParams,
    summary: "List the replies of an own exchange",
    description: "Every reply the exchange was given, in order, the chosen one marked.",
    responses: { 200: { description: "The replies", schema: alternativeListResponse }, 404: notYours },
    async handle({ auth, params: { chatId } }) {
      return { body: { chatId, alternatives: await listAlternatives(auth, chatId) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    path: chatIdPath,
    params: chatIdParams,
    body: newReplyBody,
    summary: "Answer the last exchange again: regenerate, edit the message, or continue",
    description: "`regenerate` (optional `hint`, for this reply only), `edit` (a new `message`) or `continue` " +
      "(appends to the cut-off reply). Costs one chat turn, like a message; the earlier replies are kept, " +
      "the new one is chosen. JSON only.",
    responses: {
      201: { description: "The new reply, stored and chosen", schema: newReplyResponse },
      404: notYours,
      409: notLast,
      ...replyFailureResponses,
    },
    async handle({ auth, params: { chatId }, body, request }) {
      return { status: 201, body: await answerAgain(auth, chatId, body, request.signal) };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PUT"],
    auth: "user",
    path: chatIdPath,
    params: chatIdParams,
    body: chooseAlternativeBody,
    summary: "Choose one reply of the last exchange",
    description: "Its message, reply and rating become the exchange's; the conversation continues from it.",
    responses: {
      200: { description: "The exchange as it now reads", schema: alternativeChosenResponse },
      404: notYours,
      409: notLast,
    },
    async handle({ auth, params: { chatId }, body }) {
      return { body: await chooseAlternative(auth, chatId, body.alternativeId) };
    },
  }),
);
