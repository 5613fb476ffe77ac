/** The Together simulator's world: uploads, fine-tunes, endpoints, and the knobs tests turn. */
import type { FinetuneResponse } from "together-ai/resources/fine-tuning";
import type { TogetherSchedule } from "./timeline.ts";

export interface TogetherSimulatorOptions {
  /** Time from job creation to its final status, default 30_000. */
  jobDurationMs?: number;
  /** Clock in milliseconds, default `Date.now`; tests pass a fake to move jobs along. */
  now?: () => number;
  /** Fine-tunes the account may have unfinished at once; a create past it answers 429. Default: no limit. */
  maxActiveJobs?: number | null;
  /** Bases whose adapters the account is served serverless; default Together's listed ones (SIM_SERVERLESS_LORA_BASES). */
  serverlessLoraBases?: readonly string[];
}

/**
 * The bases Together lists for serverless LoRA inference (docs.together.ai/docs/adapter-upload,
 * "Supported base models"): the simulator serves an adapter of any other base only once attached
 * to a dedicated endpoint.
 */
export const SIM_SERVERLESS_LORA_BASES: readonly string[] = [
  "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
  "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
  "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
  "Qwen/Qwen2.5-72B-Instruct",
  "Qwen/Qwen3-235B-A22B-Instruct-2507-tput",
];

/** A dedicated endpoint of the account: the base it runs, its state, and the adapters attached to it. */
export interface TogetherSimEndpoint {
  id: string;
  /** `<account>/<model>-<hash>`: the prefix of an adapter's combined `model_id`. */
  name: string;
  model: string;
  hardware: string;
  state: "PENDING" | "STARTING" | "STARTED" | "STOPPING" | "STOPPED" | "ERROR";
  minReplicas: number;
  createdAtMs: number;
  adapters: Set<string>;
}

export interface TogetherSimFile {
  id: string;
  filename: string;
  bytes: number;
  content: string;
  lineCount: number;
  createdAtMs: number;
}

/** A fine-tune as created; its status and output are computed from `schedule` and the clock. */
export interface TogetherSimJob {
  id: string;
  model: string;
  trainingFile: string;
  suffix: string | null;
  nEpochs: number;
  trainingType: NonNullable<FinetuneResponse["training_type"]>;
  trainingMethod: NonNullable<FinetuneResponse["training_method"]>;
  /** The adapter's name, published (chat answers with it) once the job has completed. */
  outputName: string;
  tokenCount: number;
  schedule: TogetherSchedule;
}

export interface TogetherStatusFault {
  method: string | null;
  path: string | RegExp;
  status: number;
  remaining: number;
}

export interface TogetherSimState {
  jobDurationMs: number;
  now: () => number;
  files: Map<string, TogetherSimFile>;
  jobs: Map<string, TogetherSimJob>;
  /** Output names of deleted fine-tunes: chat answers 404 for them. */
  deletedOutputs: Set<string>;
  /** The newest chat request bodies (at most `RECORDED_LIMIT`: see ../recorded.ts), oldest first. */
  chatRequests: Array<Record<string, unknown>>;
  /** Requests that passed auth, as "METHOD /path", for tests of the request shapes (the newest `RECORDED_LIMIT`). */
  requests: string[];
  failNext: string[];
  refusal: { status: number; message: string } | null;
  faults: TogetherStatusFault[];
  /** The account's active-job limit (null: none). */
  maxActiveJobs: number | null;
  /** The most fine-tunes ever unfinished at once, and the creates refused for the limit. */
  activeJobs: { peak: number; refused: number };
  serverlessLoraBases: Set<string>;
  endpoints: Map<string, TogetherSimEndpoint>;
}

export function createTogetherState(options: TogetherSimulatorOptions = {}): TogetherSimState {
  return {
    jobDurationMs: options.jobDurationMs ?? 30_000,
    now: options.now ?? Date.now,
    files: new Map(),
    jobs: new Map(),
    deletedOutputs: new Set(),
    chatRequests: [],
    requests: [],
    failNext: [],
    refusal: null,
    faults: [],
    maxActiveJobs: options.maxActiveJobs ?? null,
    activeJobs: { peak: 0, refused: 0 },
    serverlessLoraBases: new Set(options.serverlessLoraBases ?? SIM_SERVERLESS_LORA_BASES),
    endpoints: new Map(),
  };
}

/** Empties the world in place: tests keep references to the maps. */
export function clearTogetherState(state: TogetherSimState): void {
  state.files.clear();
  state.jobs.clear();
  state.deletedOutputs.clear();
  state.chatRequests.length = 0;
  state.requests.length = 0;
  state.failNext.length = 0;
  state.refusal = null;
  state.activeJobs.peak = 0;
  state.activeJobs.refused = 0;
  state.faults.length = 0;
  state.endpoints.clear();
}
