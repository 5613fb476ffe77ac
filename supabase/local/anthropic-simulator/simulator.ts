/**
 * A stateful fake of the Anthropic endpoints Storyvoice uses (Messages API with streaming and tool
 * use, the model list, its errors), as msw handlers: vitest serves them with `setupServer`, the
 * local stack over HTTP (./server.ts). Auth is the `x-api-key` header or a bearer token.
 */
import { http, type RequestHandler } from "msw";
import { messageHandlers } from "./messages.ts";
import { SIM_CLAUDE_MODELS } from "./models.ts";
import { errorResponse, jsonResponse } from "./responses.ts";
import { type AnthropicSimState, createAnthropicState } from "./state.ts";

export interface AnthropicSimulator {
  handlers: RequestHandler[];
  /** Every /v1/messages body that passed auth, in order. */
  requests: Array<Record<string, unknown>>;
  /** Requests for this model answer 404 `not_found_error` from now on. */
  retireModel(modelId: string): void;
  /** The next `times` (default 1) requests answer with this status and Anthropic's error body. */
  failNext(options: { status: number; message?: string; times?: number }): void;
  /** The next streamed answer breaks off with an `error` event after its first delta. */
  breakNextStream(type?: string): void;
  reset(): void;
}

export function createAnthropicSimulator(): AnthropicSimulator {
  const state = createAnthropicState();
  return {
    handlers: [gateway(state), modelList(), ...messageHandlers(state)],
    requests: state.requests,
    retireModel: (modelId) => void state.retiredModels.add(modelId),
    failNext: ({ status, message, times = 1 }) => void state.faults.push({ status, message, remaining: times }),
    breakNextStream: (type = "overloaded_error") => void state.streamErrors.push(type),
    reset() {
      state.requests.length = 0;
      state.retiredModels.clear();
      state.faults.length = 0;
      state.streamErrors.length = 0;
    },
  };
}

/** Auth and armed faults, before every endpoint; answers nothing when all is well. */
function gateway(state: AnthropicSimState): RequestHandler {
  return http.all("*/v1/*", ({ request }) => {
    // The key comes as `x-api-key` or, as the current SDK sends it, a bearer token.
    const bearer = /^Bearer \S+/.test(request.headers.get("authorization") ?? "");
    if (!request.headers.get("x-api-key") && !bearer) return errorResponse(401, "x-api-key header is required");
    const fault = state.faults[0];
    if (fault) {
      if (--fault.remaining <= 0) state.faults.shift();
      return errorResponse(fault.status, fault.message ?? (fault.status === 529 ? "Overloaded" : "Simulated failure"));
    }
    return undefined;
  });
}

function modelList(): RequestHandler {
  return http.get("*/v1/models", () => {
    const data = SIM_CLAUDE_MODELS.map((model) => ({
      type: "model",
      id: model.id,
      display_name: model.display_name,
      created_at: "2025-09-29T00:00:00Z",
    }));
    return jsonResponse({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  });
}
