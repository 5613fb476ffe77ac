/** `/v1/fine-tunes`: create (LoRA, SFT), list, retrieve with events, cancel, delete. */
import { http } from "msw";
import type {
  FinetuneEvent,
  FinetuneResponse,
  FineTuningCreateResponse,
  FineTuningDeleteResponse,
  FineTuningListResponse,
} from "together-ai/resources/fine-tuning";
import { estimateTokens } from "../../../shared/llm/tokens.ts";
import { errorResponse, jsonResponse, readJsonObject } from "../openai-simulator/responses.ts";
import type { TogetherSimJob, TogetherSimState } from "./state.ts";
import { isFinished, statusAt, stepAt } from "./timeline.ts";

/** The account name the simulator puts in front of output names, as Together does. */
export const SIM_ACCOUNT = "storyvoice-sim";
const SIM_USER_ID = "user-storyvoice-sim";
const MAX_SUFFIX_LENGTH = 64;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The adapter name a job publishes, e.g. `storyvoice-sim/Meta-Llama-3.1-8B-Instruct-Reference-sv-ab12-1f2e3d4c`. */
function outputName(model: string, suffix: string | null): string {
  const base = model.split("/").at(-1)!;
  const hash = crypto.randomUUID().slice(0, 8);
  return `${SIM_ACCOUNT}/${base}${suffix ? `-${suffix}` : ""}-${hash}`;
}

type PublishedEvent = FinetuneEvent & { training_offset: number; hash: string };

/** The events so far: what the running phase reports as step of total, and how it ended. */
function events(job: TogetherSimJob, nowMs: number) {
  const { schedule } = job;
  const status = statusAt(schedule, nowMs);
  // openapi.yaml requires every field on every event (the SDK's type leaves most optional and
  // lacks `training_offset` and `hash`): zero values where an event has nothing to say.
  const event = (type: FinetuneEvent["type"], message: string, extra: Partial<FinetuneEvent> = {}): PublishedEvent => ({
    object: "fine-tune-event",
    created_at: iso(Math.min(nowMs, schedule.createdAtMs + schedule.durationMs)),
    type,
    message,
    level: type === "job_error" ? "error" : "info",
    param_count: 0,
    token_count: 0,
    total_steps: 0,
    step: 0,
    wandb_url: "",
    checkpoint_path: "",
    model_path: "",
    training_offset: 0,
    hash: "",
    ...extra,
  });
  const list = [event("job_pending", "Fine-tune request created")];
  if (status !== "pending" && status !== "queued") {
    list.push(event("training_start", "Training started", { step: 0, total_steps: schedule.totalSteps }));
    list.push(event("epoch_complete", "Progress", { step: stepAt(schedule, nowMs), total_steps: schedule.totalSteps }));
  }
  if (status === "completed") list.push(event("job_complete", `Fine-tune completed: ${job.outputName}`));
  if (status === "error") list.push(event("job_error", schedule.errorMessage));
  if (status === "cancel_requested" || status === "cancelled") list.push(event("cancel_requested", "Cancel requested"));
  return list;
}

/** The fine-tune as retrieve answers it (list and create answer the same fields without events). */
export function jobObject(job: TogetherSimJob, nowMs: number, withEvents = true): FinetuneResponse & FineTuningListResponse.Data {
  const status = statusAt(job.schedule, nowMs);
  return {
    id: job.id,
    user_id: SIM_USER_ID,
    status,
    created_at: iso(job.schedule.createdAtMs),
    updated_at: iso(nowMs),
    model: job.model,
    suffix: job.suffix ?? undefined,
    model_output_name: job.outputName,
    training_file: job.trainingFile,
    n_epochs: job.nEpochs,
    epochs_completed: status === "completed" ? job.nEpochs : Math.floor((stepAt(job.schedule, nowMs) / job.schedule.totalSteps) * job.nEpochs),
    training_type: job.trainingType,
    training_method: job.trainingMethod,
    token_count: job.tokenCount,
    // openapi.yaml types it an integer (unit unstated): cents here.
    total_price: Math.round((job.tokenCount * 0.48) / 10_000),
    ...(withEvents ? { events: events(job, nowMs) } : {}),
  };
}

function notFound(id: string): Response {
  return errorResponse(404, `Fine-tune job ${id} not found.`, { code: "not_found" });
}

export function fineTuneHandlers(state: TogetherSimState) {
  const job = (id: string) => state.jobs.get(id);
  return [
    http.post("*/v1/fine-tunes", async ({ request }) => {
      if (state.refusal) return errorResponse(state.refusal.status, state.refusal.message);
      const body = await readJsonObject(request);
      if (!body) return errorResponse(400, "The body must be a JSON object.");
      const { model, training_file, n_epochs = 1, suffix = null, training_type, training_method } = body;
      if (typeof model !== "string" || !model) return errorResponse(400, "model is required.", { param: "model" });
      if (model.startsWith("gpt-")) return errorResponse(400, `Model ${model} is not supported for fine-tuning.`, { param: "model" });
      const file = typeof training_file === "string" ? state.files.get(training_file) : undefined;
      if (!file) return errorResponse(400, `Training file ${String(training_file)} does not exist.`, { param: "training_file" });
      if (!Number.isInteger(n_epochs) || (n_epochs as number) < 1 || (n_epochs as number) > 20) {
        return errorResponse(400, "n_epochs must be from 1 to 20.", { param: "n_epochs" });
      }
      if (suffix !== null && (typeof suffix !== "string" || suffix.length > MAX_SUFFIX_LENGTH)) {
        return errorResponse(400, `suffix must be at most ${MAX_SUFFIX_LENGTH} characters.`, { param: "suffix" });
      }
      const active = [...state.jobs.values()].filter((entry) => !isFinished(statusAt(entry.schedule, state.now()))).length;
      if (state.maxActiveJobs !== null && active >= state.maxActiveJobs) {
        state.activeJobs.refused++;
        return errorResponse(429, `You have reached the limit of ${state.maxActiveJobs} concurrent fine-tuning jobs. ` +
          "Wait for one to finish, or cancel one.");
      }
      const failure = state.failNext.shift();
      const created: TogetherSimJob = {
        id: `ft-${crypto.randomUUID()}`,
        model,
        trainingFile: file.id,
        suffix: suffix as string | null,
        nEpochs: n_epochs as number,
        trainingType: (training_type as TogetherSimJob["trainingType"] | undefined) ?? { type: "Lora", lora_r: 8, lora_alpha: 8 },
        trainingMethod: (training_method as TogetherSimJob["trainingMethod"] | undefined) ?? { method: "sft", train_on_inputs: "auto" },
        outputName: outputName(model, suffix as string | null),
        tokenCount: estimateTokens(file.content) * (n_epochs as number),
        schedule: {
          createdAtMs: state.now(),
          durationMs: state.jobDurationMs,
          outcome: failure === undefined ? "completed" : "error",
          errorMessage: failure ?? "",
          cancelRequestedAtMs: null,
          totalSteps: Math.max(1, file.lineCount * (n_epochs as number)),
        },
      };
      state.jobs.set(created.id, created);
      state.activeJobs.peak = Math.max(state.activeJobs.peak, active + 1);
      const answer: FineTuningCreateResponse = jobObject(created, state.now(), false);
      return jsonResponse(answer);
    }),
    http.get("*/v1/fine-tunes", () => {
      const list: FineTuningListResponse = { data: [...state.jobs.values()].map((entry) => jobObject(entry, state.now(), false)) };
      return jsonResponse(list);
    }),
    http.get("*/v1/fine-tunes/:id", ({ params }) => {
      const found = job(String(params.id));
      return found ? jsonResponse(jobObject(found, state.now())) : notFound(String(params.id));
    }),
    http.get("*/v1/fine-tunes/:id/events", ({ params }) => {
      const found = job(String(params.id));
      return found ? jsonResponse({ data: events(found, state.now()) }) : notFound(String(params.id));
    }),
    http.post("*/v1/fine-tunes/:id/cancel", ({ params }) => {
      const found = job(String(params.id));
      if (!found) return notFound(String(params.id));
      const status = statusAt(found.schedule, state.now());
      if (isFinished(status)) return errorResponse(400, `Fine-tune ${found.id} is already ${status} and cannot be cancelled.`);
      found.schedule.cancelRequestedAtMs ??= state.now();
      return jsonResponse(jobObject(found, state.now(), false));
    }),
    http.delete("*/v1/fine-tunes/:id", ({ params, request }) => {
      const found = job(String(params.id));
      if (!found) return notFound(String(params.id));
      const running = !isFinished(statusAt(found.schedule, state.now()));
      if (running && new URL(request.url).searchParams.get("force") !== "true") {
        return errorResponse(400, "The fine-tune is still running; cancel it or pass force=true.");
      }
      state.jobs.delete(found.id);
      state.deletedOutputs.add(found.outputName);
      for (const endpoint of state.endpoints.values()) endpoint.adapters.delete(found.outputName);
      const deleted: FineTuningDeleteResponse = { message: "Fine-tune job deleted" };
      return jsonResponse(deleted);
    }),
  ];
}

/** Whether `model` is an adapter chat may use now: a completed, undeleted fine-tune's output. */
export function adapterStatus(state: TogetherSimState, model: string): "live" | "gone" | "not-an-adapter" {
  if (state.deletedOutputs.has(model)) return "gone";
  if (!model.startsWith(`${SIM_ACCOUNT}/`)) return "not-an-adapter";
  for (const entry of state.jobs.values()) {
    if (entry.outputName === model) return statusAt(entry.schedule, state.now()) === "completed" ? "live" : "gone";
  }
  return "gone";
}

/** The base model of `adapter` when it is a completed, undeleted fine-tune's output; else null. */
export function liveAdapterBase(state: TogetherSimState, adapter: string): string | null {
  if (adapterStatus(state, adapter) !== "live") return null;
  return [...state.jobs.values()].find((entry) => entry.outputName === adapter)?.model ?? null;
}
