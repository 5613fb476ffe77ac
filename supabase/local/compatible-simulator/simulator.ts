/**
 * A stateful fake of Cohere's Compatibility API (`/compatibility/v1`: chat completions streamed and
 * not, the model list, Cohere's error bodies, its parameter rules) as msw handlers: vitest serves
 * them with `setupServer`, the local stack over HTTP (./server.ts). It stands for any
 * OpenAI-compatible endpoint `CHAT_PROVIDER=compatible` talks to; Cohere's is the strictest of them.
 */
import { http, HttpResponse, type RequestHandler } from "msw";
import type OpenAI from "openai";
import { chatHandlers } from "./chat.ts";
import { SIM_COHERE_MODELS } from "./models.ts";
import { cohereError, cohereMessage } from "./responses.ts";
import { type CompatibleSimState, createCompatibleState } from "./state.ts";

export interface CompatibleSimulator {
  handlers: RequestHandler[];
  /** Chat completions bodies that passed auth, in order: the newest `RECORDED_LIMIT`. */
  requests: Array<Record<string, unknown>>;
  /** Requests for this model answer 404 from now on. */
  retireModel(modelId: string): void;
  /** The next `times` (default 1) requests answer with this status and Cohere's error body. */
  failNext(options: { status: number; message?: string; times?: number }): void;
  /** The next streamed answer breaks off after its first text delta, without a finish or `[DONE]`. */
  breakNextStream(): void;
  reset(): void;
}

export function createCompatibleSimulator(): CompatibleSimulator {
  const state = createCompatibleState();
  const { faults, retiredModels } = state;
  return {
    handlers: [gateway(state), modelList(), ...chatHandlers(state)],
    requests: state.requests,
    retireModel(modelId) {
      retiredModels.add(modelId);
    },
    failNext({ status, message, times = 1 }) {
      faults.push({ status, message, remaining: times });
    },
    breakNextStream() {
      state.streamBreaks += 1;
    },
    reset: state.clear,
  };
}

/** The bearer key and armed faults, before every endpoint; answers nothing when all is well. */
function gateway(state: CompatibleSimState): RequestHandler {
  return http.all("*/compatibility/v1/*", ({ request }) => {
    if (!/^Bearer \S+/.test(request.headers.get("authorization") ?? "")) return cohereError(401, "no api key supplied");
    const fault = state.faults[0];
    if (!fault) return undefined;
    if (--fault.remaining <= 0) state.faults.shift();
    return cohereError(fault.status, fault.message ?? cohereMessage(fault.status));
  });
}

/** GET /compatibility/v1/models in the OpenAI list shape the SDK pages through; no shutdown dates. */
function modelList(): RequestHandler {
  return http.get("*/compatibility/v1/models", () => {
    const data: OpenAI.Models.Model[] = SIM_COHERE_MODELS.map((id) => ({ id, object: "model", created: 1_740_960_000, owned_by: "cohere" }));
    return HttpResponse.json({ object: "list", data });
  });
}
