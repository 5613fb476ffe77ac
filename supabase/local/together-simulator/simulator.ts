/**
 * A stateful fake of the Together AI endpoints Storyvoice uses (files upload, fine-tunes with a
 * simulated timeline, cancel and delete, dedicated endpoints and their adapters, the model list,
 * OpenAI-compatible chat completions that answer only as deployed adapters), written as msw
 * handlers like the OpenAI simulator: the same code serves vitest and the local stack. Every answer
 * is typed by `together-ai`; tests/unit/together-openapi-contract.test.ts holds them to Together's
 * openapi.yaml.
 */
import { http, type RequestHandler } from "msw";
import { defaultErrorMessage, errorResponse } from "../openai-simulator/responses.ts";
import { record } from "../recorded.ts";
import { chatHandlers } from "./chat.ts";
import { createSimEndpoint, endpointHandlers } from "./endpoints.ts";
import { modelHandlers } from "./models.ts";
import { fileHandlers } from "./files.ts";
import { fineTuneHandlers } from "./fine-tunes.ts";
import {
  clearTogetherState,
  createTogetherState,
  type TogetherSimEndpoint,
  type TogetherSimFile,
  type TogetherSimJob,
  type TogetherSimState,
  type TogetherSimulatorOptions,
  SIM_SERVERLESS_LORA_BASES,
} from "./state.ts";
import { statusAt } from "./timeline.ts";

export type { TogetherSimEndpoint, TogetherSimFile, TogetherSimJob, TogetherSimulatorOptions } from "./state.ts";

export interface TogetherSimulator {
  handlers: RequestHandler[];
  files: Map<string, TogetherSimFile>;
  /** Fine-tunes by id, oldest first; statuses are computed from the clock on read. */
  jobs: Map<string, TogetherSimJob>;
  chatRequests: Array<Record<string, unknown>>;
  /** Authorised requests as "METHOD /v1/path", the newest `RECORDED_LIMIT`. */
  requests: string[];
  /** The status of a job now (as the API would answer it). */
  statusOf(jobId: string): string | null;
  /** Makes the next created job end in `error` with this message; calls queue up. */
  failNextJob(message?: string): void;
  /** Makes job creation answer as an account without fine-tuning does (default 403). */
  refuseFineTuning(options?: { status?: number; message?: string }): void;
  /** The next `times` (default 1) requests matching method and path answer with `status`. */
  inject(fault: { method?: string; path: string | RegExp; status: number; times?: number }): void;
  /** Sets the account's active-job limit (null: none); creates past it answer 429. */
  limitActiveJobs(max: number | null): void;
  /** The simulator's own record: the most fine-tunes unfinished at once, and the creates refused for the limit. */
  readonly activeJobs: { peak: number; refused: number };
  /** Dedicated endpoints by id, with the adapters attached to each. */
  endpoints: Map<string, TogetherSimEndpoint>;
  /** Creates a LoRA-enabled dedicated endpoint on `model` (as an operator does in Together's console); throws for a `-Reference` base. */
  createEndpoint(options: { model: string; state?: TogetherSimEndpoint["state"]; minReplicas?: number }): TogetherSimEndpoint;
  /** The bases whose adapters the account is served serverless (tests change it). */
  serverlessLoraBases: Set<string>;
  reset(): void;
}

export function createTogetherSimulator(options: TogetherSimulatorOptions = {}): TogetherSimulator {
  const state = createTogetherState(options);
  return {
    handlers: [
      gatewayHandler(state),
      ...fileHandlers(state),
      ...fineTuneHandlers(state),
      ...endpointHandlers(state),
      ...modelHandlers(state),
      ...chatHandlers(state),
    ],
    files: state.files,
    jobs: state.jobs,
    chatRequests: state.chatRequests,
    requests: state.requests,
    statusOf(jobId) {
      const job = state.jobs.get(jobId);
      return job ? statusAt(job.schedule, state.now()) : null;
    },
    failNextJob(message = "Training failed: the dataset could not be tokenized.") {
      state.failNext.push(message);
    },
    refuseFineTuning({ status = 403, message = "Fine-tuning is not available for this account." } = {}) {
      state.refusal = { status, message };
    },
    inject({ method, path, status, times = 1 }) {
      state.faults.push({ method: method?.toUpperCase() ?? null, path, status, remaining: times });
    },
    limitActiveJobs(max) {
      state.maxActiveJobs = max;
    },
    activeJobs: state.activeJobs,
    endpoints: state.endpoints,
    serverlessLoraBases: state.serverlessLoraBases,
    createEndpoint({ model, state: endpointState, minReplicas }) {
      const endpoint = createSimEndpoint(state, { model, endpointState, minReplicas });
      if (!endpoint) throw new Error(`${model} cannot be deployed on a dedicated endpoint`);
      return endpoint;
    },
    reset() {
      clearTogetherState(state);
      state.serverlessLoraBases.clear();
      for (const base of options.serverlessLoraBases ?? SIM_SERVERLESS_LORA_BASES) state.serverlessLoraBases.add(base);
    },
  };
}

/** Bearer auth, the request log and injected faults, before every endpoint. */
function gatewayHandler(state: TogetherSimState): RequestHandler {
  return http.all("*/v1/*", ({ request }) => {
    if (!/^Bearer \S+/.test(request.headers.get("authorization") ?? "")) {
      return errorResponse(401, "Invalid API key provided. You can find your API key at https://api.together.ai/settings/api-keys.", {
        code: "invalid_api_key",
      });
    }
    const pathname = new URL(request.url).pathname;
    record(state.requests, `${request.method} ${pathname}`);
    const index = state.faults.findIndex((fault) =>
      (fault.method === null || fault.method === request.method) &&
      (typeof fault.path === "string" ? fault.path === pathname : fault.path.test(pathname))
    );
    if (index === -1) return undefined;
    const fault = state.faults[index];
    if (--fault.remaining <= 0) state.faults.splice(index, 1);
    return errorResponse(fault.status, defaultErrorMessage(fault.status));
  });
}
