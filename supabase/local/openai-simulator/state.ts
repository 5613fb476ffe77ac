/**
 * The simulator's world: what has been uploaded, which jobs exist, which models are live, and the
 * knobs tests turn. Every endpoint module reads and writes this one object.
 */
import { today } from "../../../shared/clock.ts";

/** Tuning knobs for a simulator instance. */
export interface SimulatorOptions {
  /** Time from job creation to its final status, default 30_000. */
  jobDurationMs?: number;
  /** Artificial delay before every response, default 0. */
  latencyMs?: number;
  /** Pause between the deltas of a streamed answer, default 0 (a client then sees text arrive in steps). */
  streamDelayMs?: number;
  /** Clock in milliseconds, default `Date.now`; tests pass a fake to move jobs along. */
  now?: () => number;
  /**
   * The day shutdown dates are judged on, in milliseconds: default the product's `today()`
   * (STORYVOICE_CLOCK when set, so a pinned test stack and its simulator agree on the day). Tests of
   * the dated behaviour pass their own.
   */
  today?: () => number;
  /**
   * Fine-tuning jobs the organisation may have active at once (validating, queued, running), as
   * OpenAI limits it; a create past it answers 429. Default: no limit.
   */
  maxActiveJobs?: number | null;
}

/** An uploaded file; `content` is kept so jobs can count tokens and tests can inspect it. */
export interface SimFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  content: string;
  created_at: number;
}

/** How a job ends and when; `atFraction` is the share of `durationMs` after which it ends. */
export type JobOutcome =
  | { status: "succeeded"; atFraction: 1 }
  | { status: "failed"; atFraction: number; error: { code: string; message: string; param: string | null } }
  | { status: "cancelled"; atFraction: 1 };

/** The fixed facts a job's time-dependent fields are computed from. */
export interface JobSchedule {
  createdAtMs: number;
  durationMs: number;
  outcome: JobOutcome;
  /** Set by the cancel endpoint; from then on the job reads as `cancelled`. */
  cancelledAtMs: number | null;
  exampleCount: number;
  epochs: number;
  tokensPerEpoch: number;
  /** The model name the job produces if it succeeds (decided up front, published on success). */
  modelName: string;
  /**
   * True once the final status has been seen (and a succeeded job's model published), so a deleted
   * model is not re-added and finished jobs cost nothing on later reads.
   */
  settled: boolean;
  seed: number;
}

/**
 * A fine-tuning job. `status`, `fine_tuned_model`, `finished_at`, `trained_tokens`, `error` and
 * `estimated_finish` are getters computed from the clock, so a read is always current.
 */
export interface SimJob {
  id: string;
  model: string;
  training_file: string;
  validation_file: string | null;
  status: string;
  fine_tuned_model: string | null;
  suffix: string | null;
  metadata: Record<string, string> | null;
  created_at: number;
  finished_at: number | null;
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  hyperparameters: {
    n_epochs: number | "auto";
    batch_size: number | "auto";
    learning_rate_multiplier: number | "auto";
  };
  estimated_finish: number | null;
  method: { type: string; [key: string]: unknown };
  schedule: JobSchedule;
}

/** An armed fault (see `OpenAISimulator.inject`) with the number of answers it still owes. */
export interface ArmedFault {
  method: string | null;
  path: string | RegExp;
  kind: "status" | "timeout" | "malformed";
  status: number;
  delayMs: number;
  remaining: number;
}

/**
 * Models that exist. Jobs publish their model the moment the clock says they succeeded; since no
 * timer runs, every read first asks the jobs to publish, so tests see the same world as clients.
 */
export class FineTunedModelRegistry extends Set<string> {
  #publishDue: () => void = () => {};

  /** Wired once by the simulator; kept out of the constructor because `Set` calls `add` in it. */
  onRead(publishDue: () => void): void {
    this.#publishDue = publishDue;
  }

  /** Adds without triggering the read hook (used by the hook itself). */
  publish(modelId: string): void {
    super.add(modelId);
  }

  override has(modelId: string): boolean {
    this.#publishDue();
    return super.has(modelId);
  }

  override delete(modelId: string): boolean {
    this.#publishDue();
    return super.delete(modelId);
  }

  override get size(): number {
    this.#publishDue();
    return super.size;
  }

  override values(): SetIterator<string> {
    this.#publishDue();
    return super.values();
  }

  override keys(): SetIterator<string> {
    return this.values();
  }

  override entries(): SetIterator<[string, string]> {
    this.#publishDue();
    return super.entries();
  }

  override forEach(callback: (value: string, key: string, set: Set<string>) => void, thisArg?: unknown): void {
    this.#publishDue();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
}

/** Everything the endpoint handlers share. */
export interface SimState {
  jobDurationMs: number;
  latencyMs: number;
  streamDelayMs: number;
  now: () => number;
  /** The day shutdowns are judged on (see `SimulatorOptions.today`). */
  today: () => number;
  files: Map<string, SimFile>;
  jobs: Map<string, SimJob>;
  fineTunedModels: FineTunedModelRegistry;
  /** The newest chat request bodies (at most `RECORDED_LIMIT`: see ../recorded.ts), oldest first. */
  chatRequests: Array<Record<string, unknown>>;
  /** Tokens of each chat completion served whole (a JSON answer sent, a stream read to its end), the newest `RECORDED_LIMIT`. */
  servedUsage: ServedUsage[];
  /** Accepted `/v1/audio/speech` request bodies, in order, the newest `RECORDED_LIMIT`. */
  speechRequests: Array<{ model: string; input: string; voice: string; response_format: string }>;
  retiredModels: Set<string>;
  /** Outcomes queued by `failNextJob`, consumed one per created job. */
  queuedJobOutcomes: JobOutcome[];
  fineTuningRefusal: { status: 400 | 403 | 404; message: string } | null;
  /** Organisations (the `OpenAI-Organization` header; `*`: every one) without fine-tuning access. */
  fineTuningDeniedOrganizations: Set<string>;
  /** True: deleting a fine-tuned model answers 403, as for a key without the Owner role. */
  modelDeletionRefused: boolean;
  faults: ArmedFault[];
  /** The organisation's active-job limit (null: none). */
  maxActiveJobs: number | null;
  /** The most jobs that were ever active at once, and the creates refused for the limit: the simulator's own record. */
  activeJobs: { peak: number; refused: number };
}

/** What one served chat completion used, as its `usage` said (what OpenAI would bill). */
export interface ServedUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  stream: boolean;
}

/** A fresh, empty world with the given knobs. */
export function createState(options: SimulatorOptions = {}): SimState {
  const state: SimState = {
    jobDurationMs: options.jobDurationMs ?? 30_000,
    latencyMs: options.latencyMs ?? 0,
    streamDelayMs: options.streamDelayMs ?? 0,
    now: options.now ?? Date.now,
    today: options.today ?? (() => today().getTime()),
    files: new Map(),
    jobs: new Map(),
    fineTunedModels: new FineTunedModelRegistry(),
    chatRequests: [],
    servedUsage: [],
    speechRequests: [],
    retiredModels: new Set(),
    queuedJobOutcomes: [],
    fineTuningRefusal: null,
    fineTuningDeniedOrganizations: new Set(),
    modelDeletionRefused: false,
    faults: [],
    maxActiveJobs: options.maxActiveJobs ?? null,
    activeJobs: { peak: 0, refused: 0 },
  };
  state.fineTunedModels.onRead(() => publishSucceededModels(state));
  return state;
}

/** Empties the world in place: tests keep references to the maps and sets. */
export function clearState(state: SimState): void {
  state.files.clear();
  state.jobs.clear();
  state.fineTunedModels.clear();
  state.chatRequests.length = 0;
  state.servedUsage.length = 0;
  state.speechRequests.length = 0;
  state.retiredModels.clear();
  state.queuedJobOutcomes.length = 0;
  state.fineTuningRefusal = null;
  state.fineTuningDeniedOrganizations.clear();
  state.modelDeletionRefused = false;
  state.faults.length = 0;
  state.activeJobs.peak = 0;
  state.activeJobs.refused = 0;
}

function publishSucceededModels(state: SimState): void {
  for (const job of state.jobs.values()) {
    if (job.schedule.settled) continue;
    const status = job.status;
    if (status === "succeeded") state.fineTunedModels.publish(job.schedule.modelName);
    job.schedule.settled = status === "succeeded" || status === "failed" || status === "cancelled";
  }
}

/** Whole seconds, as every OpenAI timestamp is. */
export function toUnixSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}
