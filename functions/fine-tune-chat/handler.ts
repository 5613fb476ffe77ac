import { chatAsEventStream, chatAsJson } from "../../shared/chat/respond.ts";
import { chatBody } from "../../shared/chat/schemas.ts";
import { wantsEventStream } from "../../shared/chat/sse.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { chatReplyResponse, chatStreamEvents } from "../../shared/chat/responses.ts";
import { replyFailureResponses } from "../../shared/chat/turn-responses.ts";

/**
 * POST /fine-tune-chat/:modelId — `{ message, conversationId?, stream?, temperature?, maxTokens? }`.
 * JSON by default; Server-Sent Events with `Accept: text/event-stream` or `stream: true`.
 */
export default defineEndpoint({
  name: "fine-tune-chat",
  methods: ["POST"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  body: chatBody,
  summary: "Send a message to a model and get its answer",
  description: "JSON by default; Server-Sent Events (`delta`, then `done` or `error`) with `Accept: text/event-stream` or `stream: true`.",
  responses: {
    200: {
      description: "The answer, stored; or, streamed, `delta` events then `done` once it is stored (or `error`)",
      schema: chatReplyResponse,
      events: chatStreamEvents,
    },
    404: { description: "No such model, a conversation that is not the caller's with this model, or a `readerPersonaId` not theirs", schema: errorBody },
    422: { description: "Invalid input, or `readerPersonaId` plays a character of another book (`reader_persona_other_book`)", schema: errorBody },
    ...replyFailureResponses,
  },
  async handle({ auth, params: { modelId }, body, request }) {
    if (body.stream || wantsEventStream(request)) {
      return await chatAsEventStream(auth, modelId, body, request.signal);
    }
    return { body: await chatAsJson(auth, modelId, body, request.signal) };
  },
});
