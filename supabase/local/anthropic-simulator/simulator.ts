/**
 * A stateful fake of the Anthropic endpoints Storyvoice uses (Messages API with streaming and tool
 * use, the model list, its errors), as msw handlers: vitest serves them with `setupServer`, the
 * local stack over HTTP (./server.ts). Auth is the `x-api-key` header or a bearer token.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { http, type RequestHandler } from "msw";
import { messageHandlers } from "./messages.ts";
import { modelInfo, SIM_CLAUDE_MODELS } from "./models.ts";
import { errorResponse, jsonResponse } from "./responses.ts";
import { type AnthropicSimState, createAnthropicState } from "./state.ts";

export interface AnthropicSimulator {
  handlers: RequestHandler[];
  /** /v1/messages bodies that passed auth, in order: the newest `RECORDED_LIMIT`. */
  requests: Array<Record<string, unknown>>;
  /** This model is retired from now on: requests for it answer 404 `not_found_error`, the list leaves it out. */
  retireModel(modelId: string): void;
  /** The next `times` (default 1) requests answer with this status and Anthropic's error body. */
  failNext(options: { status: number; message?: string; times?: number }): void;
  /** The next streamed answer breaks off with an `error` event after its first delta. */
  breakNextStream(type?: Anthropic.ErrorObject["type"]): void;
  reset(): void;
}

export function createAnthropicSimulator(): AnthropicSimulator {
  const state = createAnthropicState();
  return {
    handlers: [gateway(state), modelList(state), ...messageHandlers(state)],
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

/** One page of GET /v1/models, as the SDK's `Page<ModelInfo>` reads it. */
type ModelPage = Pick<Anthropic.ModelInfosPage, "data" | "has_more" | "first_id" | "last_id">;

/** GET /v1/models: active and deprecated models; retired ones only with `lifecycle=retired`. */
function modelList(state: AnthropicSimState): RequestHandler {
  return http.get("*/v1/models", ({ request }) => {
    const asked = new URL(request.url).searchParams.getAll("lifecycle[]").concat(new URL(request.url).searchParams.getAll("lifecycle"));
    const stages = asked.length > 0 ? asked : ["active", "deprecated"];
    const data = SIM_CLAUDE_MODELS
      .map((model) => state.retiredModels.has(model.id) ? { ...model, lifecycle: "retired" as const } : model)
      .filter((model) => stages.includes(model.lifecycle))
      .map(modelInfo);
    const page: ModelPage = { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    return jsonResponse(page);
  });
}
