/** `/v1/fine_tuning/jobs`: create, list (metadata filters, cursor), retrieve, events, cancel. */
import { http } from "msw";
import { parseTrainingJsonl } from "./files.ts";
import { isShutDownAt } from "./model-list.ts";
import { createJobRecord, isTerminal, jobEvents, jobObject, MIN_TRAINING_EXAMPLES } from "./job-timeline.ts";
import { errorResponse, invalidJsonResponse, jsonResponse, paginate, randomId, readJsonObject } from "./responses.ts";
import { type JobOutcome, type SimJob, type SimState, toUnixSeconds } from "./state.ts";

/** The organisation a key without an `OpenAI-Organization` header acts for. */
export const DEFAULT_ORGANIZATION = "org-storyvoice-sim";

/**
 * The 403 OpenAI answers a job creation from an organisation without fine-tuning access (self-serve
 * fine-tuning closed to new organisations on 2026-05-07): `code` as the design records it.
 */
const NO_FINE_TUNING_ACCESS_MESSAGE = "Your organization does not have access to fine-tuning. " +
  "Self-serve fine-tuning is no longer available to new organizations.";

/** What "auto" epochs resolve to for the small files this project trains on. */
const AUTO_EPOCHS = 3;

type Hyperparameters = SimJob["hyperparameters"];

/** Handlers for the fine-tuning job endpoints. */
export function fineTuningHandlers(state: SimState) {
  const findJob = (jobId: string) => state.jobs.get(jobId);

  return [
    http.post("*/v1/fine_tuning/jobs", async ({ request }) => {
      const organization = request.headers.get("openai-organization") ?? DEFAULT_ORGANIZATION;
      if (state.fineTuningDeniedOrganizations.has("*") || state.fineTuningDeniedOrganizations.has(organization)) {
        return errorResponse(403, NO_FINE_TUNING_ACCESS_MESSAGE, { code: "training_not_available" });
      }
      if (state.fineTuningRefusal) {
        const { status, message } = state.fineTuningRefusal;
        return errorResponse(status, message, { code: status === 404 ? "not_found" : "fine_tuning_unavailable" });
      }
      const body = await readJsonObject(request);
      if (!body) return invalidJsonResponse();
      const invalid = validateJobRequest(body, state);
      if (invalid) return invalid;
      const active = [...state.jobs.values()].filter((existing) => !isTerminal(existing.status)).length;
      if (state.maxActiveJobs !== null && active >= state.maxActiveJobs) {
        state.activeJobs.refused++;
        return errorResponse(
          429,
          `This organization has reached the maximum number of active fine-tuning jobs (${state.maxActiveJobs}). ` +
            "Wait for a job to finish before creating another.",
          { code: "rate_limit_exceeded" },
        );
      }
      const job = createJob(state, body);
      state.jobs.set(job.id, job);
      state.activeJobs.peak = Math.max(state.activeJobs.peak, active + 1);
      return jsonResponse(jobObject(job));
    }),

    http.get("*/v1/fine_tuning/jobs", ({ request }) => {
      const query = new URL(request.url).searchParams;
      const newestFirst = [...state.jobs.values()].reverse().filter((job) => matchesMetadataFilter(job, query));
      const page = paginate(newestFirst, query);
      return jsonResponse({ ...page, data: page.data.map(jobObject) });
    }),

    http.get<{ jobId: string }>("*/v1/fine_tuning/jobs/:jobId", ({ params }) => {
      const job = findJob(params.jobId);
      return job ? jsonResponse(jobObject(job)) : noSuchJob(params.jobId);
    }),

    http.get<{ jobId: string }>("*/v1/fine_tuning/jobs/:jobId/events", ({ params, request }) => {
      const job = findJob(params.jobId);
      if (!job) return noSuchJob(params.jobId);
      return jsonResponse(paginate(jobEvents(job, state.now()), new URL(request.url).searchParams));
    }),

    http.post<{ jobId: string }>("*/v1/fine_tuning/jobs/:jobId/cancel", ({ params }) => {
      const job = findJob(params.jobId);
      if (!job) return noSuchJob(params.jobId);
      if (isTerminal(job.status)) {
        const message = `Job ${job.id} has already completed with status ${job.status} and cannot be cancelled.`;
        return errorResponse(400, message, { param: "fine_tuning_job_id" });
      }
      job.schedule.cancelledAtMs = state.now();
      return jsonResponse(jobObject(job));
    }),
  ];
}

function validateJobRequest(body: Record<string, unknown>, state: SimState): Response | null {
  const { model, training_file: trainingFile, suffix, metadata } = body;
  if (typeof model !== "string" || model === "") {
    return errorResponse(400, "Missing required parameter: 'model'.", {
      param: "model",
      code: "missing_required_parameter",
    });
  }
  if (isShutDownAt(model, state.today())) {
    return errorResponse(400, `Model ${model} is not available for fine-tuning.`, {
      param: "model",
      code: "model_not_available",
    });
  }
  if (typeof trainingFile !== "string") {
    return errorResponse(400, "Missing required parameter: 'training_file'.", {
      param: "training_file",
      code: "missing_required_parameter",
    });
  }
  const file = state.files.get(trainingFile);
  if (!file) return errorResponse(400, `invalid training_file: ${trainingFile}`, { param: "training_file" });
  if (file.purpose !== "fine-tune") {
    return errorResponse(400, `File ${trainingFile} was not uploaded with purpose 'fine-tune'.`, {
      param: "training_file",
    });
  }
  if (suffix !== undefined && suffix !== null && (typeof suffix !== "string" || suffix.length > 64)) {
    return errorResponse(400, "'suffix' must be a string of at most 64 characters.", { param: "suffix" });
  }
  if (metadata !== undefined && metadata !== null && !isValidMetadata(metadata)) {
    return errorResponse(400, "'metadata' must map at most 16 keys (64 characters) to strings (512 characters).", {
      param: "metadata",
    });
  }
  return null;
}

function isValidMetadata(metadata: unknown): metadata is Record<string, string> {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return false;
  const entries = Object.entries(metadata);
  return entries.length <= 16 &&
    entries.every(([key, value]) => key.length <= 64 && typeof value === "string" && value.length <= 512);
}

function createJob(state: SimState, body: Record<string, unknown>): SimJob {
  const model = body.model as string;
  const trainingFile = state.files.get(body.training_file as string)!;
  const suffix = typeof body.suffix === "string" ? body.suffix : null;
  const hyperparameters = requestedHyperparameters(body);
  const examples = countExamples(trainingFile.content);
  const id = randomId("ftjob-", 24);
  const nowMs = state.now();
  return createJobRecord({
    id,
    model,
    training_file: trainingFile.id,
    validation_file: typeof body.validation_file === "string" ? body.validation_file : null,
    suffix,
    metadata: (body.metadata as Record<string, string> | null | undefined) ?? null,
    created_at: toUnixSeconds(nowMs),
    hyperparameters,
    method: { type: "supervised", supervised: { hyperparameters } },
    schedule: {
      createdAtMs: nowMs,
      durationMs: state.jobDurationMs,
      outcome: decideOutcome(state, examples.count),
      cancelledAtMs: null,
      exampleCount: examples.count,
      epochs: hyperparameters.n_epochs === "auto" ? AUTO_EPOCHS : hyperparameters.n_epochs,
      tokensPerEpoch: examples.tokens,
      modelName: `ft:${model}:storyvoice-sim:${suffix ?? ""}:${randomId("", 8)}`,
      settled: false,
      seed: typeof body.seed === "number" ? body.seed : Math.floor(Math.random() * 2 ** 31),
    },
  }, state.now);
}

/** `method.supervised.hyperparameters` (current) or top-level `hyperparameters` (deprecated). */
function requestedHyperparameters(body: Record<string, unknown>): Hyperparameters {
  const method = body.method as { supervised?: { hyperparameters?: Partial<Hyperparameters> } } | undefined;
  const deprecated = body.hyperparameters as Partial<Hyperparameters> | undefined;
  const given = method?.supervised?.hyperparameters ?? deprecated ?? {};
  return {
    n_epochs: given.n_epochs ?? "auto",
    batch_size: given.batch_size ?? "auto",
    learning_rate_multiplier: given.learning_rate_multiplier ?? "auto",
  };
}

function countExamples(content: string): { count: number; tokens: number } {
  const parsed = parseTrainingJsonl(content);
  if ("problem" in parsed) return { count: 0, tokens: 0 };
  // Roughly four characters per token, like the chat endpoint's usage.
  return { count: parsed.examples.length, tokens: Math.ceil(content.length / 4) };
}

function decideOutcome(state: SimState, exampleCount: number): JobOutcome {
  if (exampleCount < MIN_TRAINING_EXAMPLES) {
    return {
      status: "failed",
      atFraction: 0.1,
      error: {
        code: "invalid_training_file",
        param: "training_file",
        message: `The job failed due to an invalid training file. Training file has ${exampleCount} example(s), ` +
          `but must have at least ${MIN_TRAINING_EXAMPLES} examples.`,
      },
    };
  }
  return state.queuedJobOutcomes.shift() ?? { status: "succeeded", atFraction: 1 };
}

/** `metadata[key]=value` pairs must all match; `metadata=null` asks for jobs without metadata. */
function matchesMetadataFilter(job: SimJob, query: URLSearchParams): boolean {
  if (query.get("metadata") === "null") return job.metadata === null;
  for (const [key, value] of query.entries()) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match && job.metadata?.[match[1]] !== value) return false;
  }
  return true;
}

function noSuchJob(jobId: string): Response {
  return errorResponse(404, `Could not find fine tune: ${jobId}`, {
    param: "fine_tune_id",
    code: "fine_tune_not_found",
  });
}
