import { groupChatAsEventStream, groupChatAsJson } from "../../shared/chat/group-respond.ts";
import { groupChatResponse, groupChatStreamEvents } from "../../shared/chat/group-responses.ts";
import { groupChatBody } from "../../shared/chat/group-schemas.ts";
import { quotaExceededError } from "../../shared/chat/responses.ts";
import { wantsEventStream } from "../../shared/chat/sse.ts";
import { errorBody } from "../../shared/errors.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";

/**
 * POST /fine-tune-group-chat — `{ modelIds, message, conversationId?, strategy?, speaker?, stream?,
 * temperature?, maxTokens? }`. JSON by default; Server-Sent Events with `Accept: text/event-stream`
 * or `stream: true`.
 */
export default defineEndpoint({
  name: "fine-tune-group-chat",
  methods: ["POST"],
  auth: "user",
  body: groupChatBody,
  summary: "Send a message to a group of 2-6 personas and get their replies in turn",
  description: "`strategy` decides who replies: `natural` (default) lets a persona named in the message speak first, " +
    "then each other one by its talkativeness, then one at random if none did; `list` all in the order of `modelIds`; " +
    "`manual` only `speaker`. Each reply sees the whole conversation labelled by speaker, and counts as one message " +
    "of the daily quota. JSON by default; Server-Sent Events (`delta` naming its speaker, then `done` or `error`) " +
    "with `Accept: text/event-stream` or `stream: true`.",
  responses: {
    200: {
      description: "The replies, stored; or, streamed, `delta` events then `done` once the round is stored (or `error`)",
      schema: groupChatResponse,
      events: groupChatStreamEvents,
    },
    404: {
      description: "A model the caller may not chat with (`details` names it), or a conversation that is not the caller's",
      schema: errorBody,
    },
    429: {
      description: "The daily chat quota has fewer messages left than this round's replies",
      schema: quotaExceededError,
      headers: { "Retry-After": "Seconds until the quota resets" },
    },
    502: { description: "A persona and its fallback failed (`retryable: true`); nothing was stored", schema: errorBody },
    503: { description: "The provider or the database is unavailable (`retryable: true`); nothing was stored", schema: errorBody },
  },
  async handle({ auth, body, request }) {
    if (body.stream || wantsEventStream(request)) {
      return await groupChatAsEventStream(auth, body, request.signal);
    }
    return { body: await groupChatAsJson(auth, body, request.signal) };
  },
});
