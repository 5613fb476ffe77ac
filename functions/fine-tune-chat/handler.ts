import { chatAsEventStream, chatAsJson } from "../../shared/chat/respond.ts";
import { chatBody } from "../../shared/chat/schemas.ts";
import { wantsEventStream } from "../../shared/chat/sse.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

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
  async handle({ auth, params: { modelId }, body, request }) {
    if (body.stream || wantsEventStream(request)) {
      return await chatAsEventStream(auth, modelId, body, request.signal);
    }
    return { body: await chatAsJson(auth, modelId, body, request.signal) };
  },
});
