/** The Together simulator's world: uploads, fine-tunes, and the knobs tests turn. */
import type { TogetherSchedule } from "./timeline.ts";

export interface TogetherSimulatorOptions {
  /** Time from job creation to its final status, default 30_000. */
  jobDurationMs?: number;
  /** Clock in milliseconds, default `Date.now`; tests pass a fake to move jobs along. */
  now?: () => number;
  /** Fine-tunes the account may have unfinished at once; a create past it answers 429. Default: no limit. */
  maxActiveJobs?: number | null;
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
  trainingType: Record<string, unknown>;
  trainingMethod: Record<string, unknown>;
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
  chatRequests: Array<Record<string, unknown>>;
  /** Every request that passed auth, as "METHOD /path", for tests of the request shapes. */
  requests: string[];
  failNext: string[];
  refusal: { status: number; message: string } | null;
  faults: TogetherStatusFault[];
  /** The account's active-job limit (null: none). */
  maxActiveJobs: number | null;
  /** The most fine-tunes ever unfinished at once, and the creates refused for the limit. */
  activeJobs: { peak: number; refused: number };
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
}
