/**
 * A stateful fake of the OpenAI endpoints Storyvoice uses (files, fine_tuning.jobs with events and
 * cancel, models, chat.completions with streaming and structured output, audio.speech), written as msw handlers
 * so the same code serves vitest (`setupServer(...sim.handlers)`) and the local HTTP stack
 * (`serveOpenAISimulator` in ./server.ts).
 */
import { http, type RequestHandler, type UnhandledRequestCallback } from "msw";
import { record } from "../recorded.ts";
import { chatHandlers } from "./chat.ts";
import { answerWithFault, armFault, type FaultSpec, takeFault } from "./faults.ts";
import { fileHandlers } from "./files.ts";
import { fineTuningHandlers } from "./fine-tuning.ts";
import { modelHandlers } from "./models.ts";
import { speechHandlers } from "./speech.ts";
import { errorResponse, readJsonObject, waitUnlessAborted } from "./responses.ts";
import { clearState, createState, type ServedUsage, type SimFile, type SimJob, type SimState, type SimulatorOptions } from "./state.ts";

export type { FaultSpec } from "./faults.ts";
export type { SimFile, SimJob, SimulatorOptions } from "./state.ts";

/** A simulator instance: its handlers, its recorded state, and the knobs that bend it. */
export interface OpenAISimulator {
  handlers: RequestHandler[];
  /** Uploaded files by id. */
  files: Map<string, SimFile>;
  /** Fine-tuning jobs by id, oldest first; status fields are computed from the clock on read. */
  jobs: Map<string, SimJob>;
  /** Models that exist (created when jobs succeed; delete or add to shape a test's world). */
  fineTunedModels: Set<string>;
  /**
   * chat.completions request bodies that passed auth, in order, including faulted ones: the newest
   * `RECORDED_LIMIT` (1,000), so a long-running stack stays bounded.
   */
  chatRequests: Array<Record<string, unknown>>;
  /**
   * The tokens of every chat completion served whole (a JSON answer, a stream read to `[DONE]`),
   * in order: what the provider would bill. Faulted requests and abandoned streams serve none.
   * The newest `RECORDED_LIMIT` are kept.
   */
  servedUsage: ServedUsage[];
  /** Accepted text-to-speech requests (model, input, voice, format), in order: the newest `RECORDED_LIMIT`. */
  speechRequests: SimState["speechRequests"];
  /** Makes the next created job end `failed` (or `cancelled`) instead of succeeding; calls queue up. */
  failNextJob(options?: { status?: "failed" | "cancelled"; message?: string }): void;
  /** Makes every job creation answer as OpenAI does once self-serve fine-tuning is closed (default 403). */
  refuseFineTuning(options?: { status?: 400 | 403 | 404; message?: string }): void;
  /**
   * Job creations from `organization` (the `OpenAI-Organization` header; default: every one) answer
   * OpenAI's 403 `training_not_available`, as for an organisation without fine-tuning access.
   */
  denyFineTuningAccess(organization?: string): void;
  /** While on, deleting a fine-tuned model answers 403, as for a key without the Owner role. */
  refuseModelDeletion(refuse?: boolean): void;
  /** Chat completions with this model id answer 404 `model_not_found`, as for a retired fine-tune. */
  retireModel(modelId: string): void;
  /** The next `times` (default 1) requests matching method and path answer with the fault. */
  inject(fault: FaultSpec): void;
  /** Sets the organisation's active-job limit (null: none); creates past it answer 429. */
  limitActiveJobs(max: number | null): void;
  /** The simulator's own record: the most jobs active at once, and the creates refused for the limit. */
  readonly activeJobs: { peak: number; refused: number };
  /** Forgets all state and faults (the active-job limit stays). */
  reset(): void;
}

const FINE_TUNING_CLOSED_MESSAGE = "Fine-tuning is not available for your organization: " +
  "self-serve fine-tuning is closed to new organizations. See https://platform.openai.com/docs/deprecations.";

const MISSING_API_KEY_MESSAGE = "You didn't provide an API key. You need to provide your API key in an " +
  "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

/** Creates an independent simulator; each test file (or the local stack) makes its own. */
export function createOpenAISimulator(options: SimulatorOptions = {}): OpenAISimulator {
  const state = createState(options);
  return {
    handlers: [
      gatewayHandler(state), // first: it guards every endpoint below
      ...fileHandlers(state),
      ...fineTuningHandlers(state),
      ...modelHandlers(state),
      ...chatHandlers(state),
      ...speechHandlers(state),
    ],
    files: state.files,
    jobs: state.jobs,
    fineTunedModels: state.fineTunedModels,
    chatRequests: state.chatRequests,
    servedUsage: state.servedUsage,
    speechRequests: state.speechRequests,
    failNextJob({ status = "failed", message } = {}) {
      state.queuedJobOutcomes.push(
        status === "cancelled" ? { status: "cancelled", atFraction: 1 } : {
          status: "failed",
          atFraction: 1,
          error: {
            code: "internal_error",
            param: null,
            message: message ?? "The job failed due to an internal error.",
          },
        },
      );
    },
    refuseFineTuning({ status = 403, message = FINE_TUNING_CLOSED_MESSAGE } = {}) {
      state.fineTuningRefusal = { status, message };
    },
    denyFineTuningAccess(organization = "*") {
      state.fineTuningDeniedOrganizations.add(organization);
    },
    refuseModelDeletion(refuse = true) {
      state.modelDeletionRefused = refuse;
    },
    retireModel(modelId) {
      state.retiredModels.add(modelId);
    },
    limitActiveJobs(max) {
      state.maxActiveJobs = max;
    },
    activeJobs: state.activeJobs,
    inject(fault) {
      armFault(state, fault);
    },
    reset() {
      clearState(state);
    },
  };
}

/**
 * `onUnhandledRequest` for `setupServer(...).listen`: fails like `"error"`, except for the `data:,`
 * request the openai SDK makes once to check FormData support before its first upload.
 */
export const failOnUnhandledRequest: UnhandledRequestCallback = (request, print) => {
  if (request.url.startsWith("data:")) return;
  print.error();
};

/**
 * Runs before every endpoint: latency, bearer auth, recording chat requests, injected faults. It
 * answers nothing when all is well, and msw then moves on to the endpoint handlers.
 */
function gatewayHandler(state: SimState): RequestHandler {
  return http.all("*/v1/*", async ({ request }) => {
    if (state.latencyMs > 0) await waitUnlessAborted(state.latencyMs, request.signal);

    const authorization = request.headers.get("authorization") ?? "";
    if (!/^Bearer \S+/.test(authorization)) {
      return errorResponse(401, MISSING_API_KEY_MESSAGE);
    }

    if (request.method === "POST" && new URL(request.url).pathname.endsWith("/v1/chat/completions")) {
      const body = await readJsonObject(request.clone());
      if (body) record(state.chatRequests, body);
    }

    const fault = takeFault(state, request);
    if (fault) return await answerWithFault(fault, request);
    return undefined;
  });
}
