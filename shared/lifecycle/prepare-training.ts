import { isDatabaseUnavailable } from "../db/errors.ts";
import { log } from "../log.ts";
import { generateGreeting } from "../personas/greeting.ts";
import { buildFallbackStyleGuide, generateStyleGuide } from "../personas/style-guide.ts";
import { generateSampleText } from "../personas/sample-text.ts";
import { generateStarterPrompts } from "../personas/starter-prompts.ts";
import type { PersonaInput } from "../personas/types.ts";
import { teacherAvailable } from "../catalogue/teacher.ts";
import { fineTuneBaseRefusal } from "../catalogue/model-choice.ts";
import {
  canFineTune,
  configuredTrainingProvider,
  isTrainingProviderName,
  nextTrainingProvider,
  trainingProvider,
} from "../providers/registry.ts";
import { type ProviderJob, ProviderError, type TrainingProvider } from "../providers/training-provider.ts";
import {
  generateTrainingExamples,
  MAX_EXAMPLES_PER_REQUEST,
  normaliseQuestion,
  type TrainingExample,
  TRAINING_PLANS,
} from "../training/generate-examples.ts";
import { buildTrainingJsonl, estimateTrainingCost, TrainingDataError } from "../training/jsonl.ts";
import { fitTrainingBudget } from "../training/budget.ts";
import { env } from "../env.ts";
import { topicsFor } from "../personas/topics.ts";
import { UsageMeter } from "../llm/usage.ts";
import { loadTrainingExamples, recordUnstoredTeacherSpend, saveGeneratedExamples } from "./example-store.ts";
import {
  claimCreation,
  type CreationClaim,
  markFailed,
  markPersonaMode,
  releaseForRetry,
  saveJobStarted,
  savePersonaTexts,
  saveTrainingFile,
} from "./model-store.ts";
import { personaFromRow } from "./persona-from-row.ts";
import { type GroundingPassage, passagesForTeacher } from "../books/teacher-passages.ts";
import { moveRunToProvider } from "./provider-move.ts";
import { mayStartTraining, returnToQueueHead } from "./training-slots.ts";
import { isAccountRefusal, rememberedRefusal, rememberRefusal } from "./training-access.ts";

const NOT_AVAILABLE_HERE = "Fine-tuning is not available in this deployment; the model answers in persona mode.";

/**
 * What became of one creation attempt (the sync reports these). `queued`: the provider has no free
 * slot; `held`: the run waits because its owner's trainings in flight are all started.
 */
export type PreparationOutcome = "job-started" | "queued" | "held" | "persona-mode" | "retry-later" | "failed" | "not-claimed";

/**
 * The creation work of a pending model's current run, resumable at every step: style guide (with
 * the starter prompts, the sample text and the greeting), training examples (stored: ours to
 * keep), JSONL fitted to the run's budget and checked against the provider's rules, a slot in the
 * training queue (else the run waits, and the sync starts it later), upload, job. Each finished step is stored,
 * and a job is looked up by the run before one is created, so a crash or a retry never starts a
 * second provider job. A provider that refuses moves the run on to the next configured one before
 * persona mode. Runs in the background after the create request, and from the training sync for
 * rows whose worker died.
 */
export async function prepareTraining(modelId: string): Promise<PreparationOutcome> {
  const claim = await claimCreation(modelId, configuredTrainingProvider());
  if (!claim) return "not-claimed";
  // The teacher's calls are recorded with the texts and examples they wrote; those of a step that
  // failed before storing anything are recorded when the failure is.
  const meter = new UsageMeter();
  try {
    return await prepareClaimed(claim, meter);
  } catch (error) {
    await recordUnstoredTeacherSpend(meter.drain({ userId: claim.model.created_by, modelId: claim.model.id, kind: "teacher" }));
    return await settleFailure(claim, error);
  }
}

async function prepareClaimed(claim: CreationClaim, meter: UsageMeter): Promise<PreparationOutcome> {
  const { model, run } = claim;
  const persona = personaFromRow(model);
  const teacherSpend = () => meter.drain({ userId: model.created_by, modelId: model.id, kind: "teacher" });
  let styleGuide = model.style_description;
  if (!styleGuide) {
    styleGuide = await styleGuideFor(persona, meter);
    const [starterPrompts, sampleText, greeting] = await Promise.all([
      generateStarterPrompts(persona, styleGuide, meter),
      generateSampleText(persona, styleGuide, meter),
      generateGreeting(persona, styleGuide, meter),
    ]);
    await savePersonaTexts(model.id, { styleGuide, starterPrompts, sampleText, greeting }, teacherSpend());
  }

  // The configured training providers, in order: a refusal moves the run on to the next one.
  let providerName = run.provider;
  let fileId = run.provider_file_id;
  // A first run trains on the model's base (the deployment's default when it named none); a later
  // run on the base it was started with (null: its provider's default).
  let baseModel: string | null = run.first ? model.base_model : run.base_model;
  const tried = new Set<string>();
  for (;;) {
    tried.add(providerName);
    try {
      // A run may name a provider this build no longer has: it moves on like a refusal.
      if (!isTrainingProviderName(providerName)) {
        throw new ProviderError("unavailable", `${providerName} is not a training provider of this deployment`);
      }
      return await startJobAt(trainingProvider(providerName), {
        model,
        run,
        persona,
        styleGuide,
        fileId,
        baseModel,
        moved: tried.size > 1,
        meter,
        maxExamples: claim.maxExamples,
      });
    } catch (error) {
      const next = error instanceof ProviderError && error.kind === "unavailable"
        ? nextTrainingProvider(providerName, tried)
        : null;
      if (!next) throw error;
      // The first provider's base model names that provider's model: the next trains on its own default.
      baseModel = next.baseModels().default;
      await moveRunToProvider(run.id, { from: providerName, to: next.name, reason: (error as ProviderError).message, baseModel });
      log.warn("training provider refused; trying the next one", { runId: run.id, from: providerName, to: next.name });
      providerName = next.name;
      fileId = null;
    }
  }
}

/** What a start on one provider needs. */
interface JobStart {
  model: CreationClaim["model"];
  run: CreationClaim["run"];
  persona: PersonaInput;
  styleGuide: string;
  fileId: string | null;
  /** Null: the provider's default. */
  baseModel: string | null;
  /** True once the run left its first provider: the base is that provider's configured default. */
  moved: boolean;
  /** The teacher's usage, recorded with what it wrote. */
  meter: UsageMeter;
  /** The owner's plan's `max_examples` (else MAX_TRAINING_EXAMPLES). */
  maxExamples: number;
}

/**
 * Uploads the examples and starts the job at `provider` (or finds the job a dead worker started).
 * A provider that cannot fine-tune here, or a base model the catalogue says will not outlive the
 * fine-tune, is a refusal: `ProviderError` of kind `unavailable`, as the provider's own would be.
 */
async function startJobAt(provider: TrainingProvider, start: JobStart): Promise<PreparationOutcome> {
  const { model, run } = start;
  if (!canFineTune(provider)) throw new ProviderError("unavailable", NOT_AVAILABLE_HERE);
  // Refused for this account already: move on without asking the provider again.
  const refused = await rememberedRefusal(provider);
  if (refused) throw refused;

  const existing = await provider.findJobForRun({ modelId: model.id, runId: run.id, firstRun: run.first });
  if (existing) return await recordJob(run.id, existing, provider);

  const plan = planFor(model.quick_tune, provider);
  const baseModels = provider.baseModels();
  const baseModel = start.baseModel ?? baseModels.default;
  // Rows can also be inserted through the Data API: check the allow-list where money is spent.
  if (!start.moved && !baseModels.allowed.includes(baseModel)) {
    await markFailed(run.id, `Base model ${baseModel} is not allowed in this deployment.`);
    return "failed";
  }
  const refusal = await fineTuneBaseRefusal(provider.name, baseModel);
  if (refusal) throw new ProviderError("unavailable", `No new fine-tune at ${provider.name}: ${refusal}.`);
  // A fine-tune that could never answer (nowhere to serve it) is not paid for.
  const unservable = provider.servingRefusal?.(baseModel);
  if (unservable) throw new ProviderError("unavailable", `No new fine-tune at ${provider.name}: ${unservable}.`);
  let fileId = start.fileId;
  let file: Awaited<ReturnType<typeof buildTrainingFile>> | null = null;
  if (!fileId) {
    file = await buildTrainingFile(start, plan);
    if (!file.fits) {
      // Not even the minimum fits MAX_TRAINING_TOKENS: fail before any upload or job, with the reason.
      await markFailed(run.id, file.reason);
      return "failed";
    }
  }

  // The provider's active jobs and the owner's trainings in flight are limited: wait in the queue
  // for a slot (the sync resumes the run).
  const decision = await mayStartTraining(run.id);
  if (decision.outcome === "gone") return "not-claimed";
  if (decision.outcome === "wait") {
    log.info("training run queued", { runId: run.id, position: decision.position, active: decision.active, reason: decision.reason });
    return decision.reason === "owner_cap" ? "held" : "queued";
  }

  if (file?.fits) {
    fileId = (await provider.uploadTrainingFile(file.jsonl, `storyvoice-${model.id}.jsonl`)).fileId;
    const cost = estimateTrainingCost(file.estimatedTokens, plan.epochs, baseModel, provider.trainingPrice(baseModel));
    await saveTrainingFile(run.id, {
      fileId,
      baseModel,
      estimatedTokens: cost.estimatedTrainedTokens,
      estimatedCostUsd: cost.estimatedUsd,
      summary: {
        examples: file.lines,
        topics: [...new Set(file.examples.map((example) => example.topic).filter(Boolean))],
        epochs: plan.epochs,
        baseModel,
        quick: model.quick_tune,
        ...(file.dropped > 0 ? { droppedExamples: file.dropped } : {}),
      },
    });
  }

  let job: ProviderJob;
  try {
    job = await provider.createJob({
      modelId: model.id,
      runId: run.id,
      trainingFileId: fileId!,
      baseModel,
      epochs: plan.epochs,
    });
  } catch (error) {
    if (isAccountRefusal(error)) await rememberRefusal(provider, error.message);
    if (!(error instanceof ProviderError && error.kind === "rate_limited")) throw error;
    // "Too many active jobs" (or any 429 here) is back-pressure, not a failure: back to the queue's head.
    await returnToQueueHead(run.id);
    log.warn("provider pushed back a training job; the run waits at the head of the queue", { runId: run.id, provider: provider.name });
    return "queued";
  }
  return await recordJob(run.id, job, provider);
}

/**
 * The run's training file, not yet uploaded: stored examples are reused (a retry after a failed
 * upload asks the teacher for nothing). A first run tops the reader's own examples up to the plan's
 * count (at most the user's plan's `max_examples`); a retrain trains on what is stored, as the owner
 * shaped it. Then the examples are fitted to `max_examples` and MAX_TRAINING_TOKENS (the reader's
 * own kept first) and every line checked against the provider's rules (TrainingDataError).
 */
async function buildTrainingFile(start: JobStart, plan: ReturnType<typeof planFor>) {
  const { model, run, persona, styleGuide } = start;
  const target = Math.min(plan.examples, start.maxExamples);
  let examples = await loadTrainingExamples(model.id);
  const missing = run.first || examples.length === 0 ? target - examples.length : 0;
  if (missing > 0) {
    const passages = await passagesForTeacher(model.id);
    const generated = await generateTopUp(persona, styleGuide, { ...plan, examples: target }, examples, start.meter, passages);
    await saveGeneratedExamples(model.id, generated, start.meter.drain({ userId: model.created_by, modelId: model.id, kind: "teacher" }));
    examples = await loadTrainingExamples(model.id);
  }
  const fitted = fitTrainingBudget(styleGuide, examples, {
    maxExamples: start.maxExamples,
    maxTrainedTokens: env().MAX_TRAINING_TOKENS,
    epochs: plan.epochs,
  });
  if (!fitted.fits) return fitted;
  if (fitted.dropped > 0) log.info("training examples dropped to fit the run's budget", { runId: run.id, dropped: fitted.dropped });
  return { ...fitted, ...buildTrainingJsonl(styleGuide, fitted.examples) };
}

/**
 * Generated examples for the slots the stored ones leave in the plan: all topics when there is
 * room for each, else the first few; a generated question the reader already asked is dropped.
 * With passages of the persona's book, the teacher grounds the answers in them.
 */
async function generateTopUp(
  persona: PersonaInput,
  styleGuide: string,
  plan: ReturnType<typeof planFor>,
  stored: readonly TrainingExample[],
  meter: UsageMeter,
  passages: readonly GroundingPassage[],
): Promise<TrainingExample[]> {
  const count = Math.min(plan.examples - stored.length, MAX_EXAMPLES_PER_REQUEST);
  const allTopics = topicsFor(persona.kind);
  const topics = allTopics.length <= count ? allTopics : allTopics.slice(0, count);
  const minimum = Math.min(count, Math.max(topics.length, plan.min - stored.length));
  const generated = await generateTrainingExamples({ persona, styleGuide, count, minimum, topics, meter, passages });
  const asked = new Set(stored.map((example) => normaliseQuestion(example.question)));
  return generated.filter((example) => !asked.has(normaliseQuestion(example.question)));
}

/** The training plan within the provider's limits: at least its minimum of examples, at most its epochs. */
function planFor(quickTune: boolean, provider: TrainingProvider) {
  const plan = quickTune ? TRAINING_PLANS.quick : TRAINING_PLANS.full;
  const { minExamples, maxEpochs } = provider.limits;
  return {
    examples: Math.max(plan.examples, minExamples),
    min: Math.max(plan.min, minExamples),
    epochs: Math.max(1, Math.min(plan.epochs, maxEpochs)),
  };
}

/**
 * The teacher's style guide, or the deterministic one when there is no teacher (no key) or the
 * teacher kept answering unusable JSON: a model is never held back for want of a style guide.
 */
async function styleGuideFor(persona: PersonaInput, meter: UsageMeter): Promise<string> {
  if (!teacherAvailable()) return buildFallbackStyleGuide(persona);
  try {
    return await generateStyleGuide(persona, meter);
  } catch (error) {
    if (!(error instanceof TrainingDataError)) throw error;
    log.warn("teacher gave no usable style guide; using the built-in one", { error });
    return buildFallbackStyleGuide(persona);
  }
}

async function recordJob(runId: string, job: Awaited<ReturnType<TrainingProvider["getJob"]>>, provider: TrainingProvider) {
  if (await saveJobStarted(runId, job)) {
    log.info("fine-tuning job started", { runId, jobId: job.id, status: job.status });
    return "job-started" as const;
  }
  // The owner deleted the model while we worked: don't leave a job training for nobody.
  await provider.cancelJob(job.id).catch((error) => log.warn("could not cancel orphan job", { jobId: job.id, error }));
  return "failed" as const;
}

async function settleFailure({ model, run }: CreationClaim, error: unknown): Promise<PreparationOutcome> {
  if (error instanceof ProviderError && error.kind === "unavailable") {
    // OpenAI closing self-serve fine-tuning (or this base model) is not the user's problem.
    // A reason that already says it is about fine-tuning is kept as it is (plain words, said once).
    await markPersonaMode(run.id, /^Fine-tuning\b/.test(error.message) ? error.message : `Fine-tuning unavailable: ${error.message}`);
    return "persona-mode";
  }
  // Provider hiccups and a lost database connection are worth another attempt; bad training data
  // (the teacher kept answering malformed JSON, or the file broke the provider's rules) is not.
  const retryable = error instanceof ProviderError ? error.retryable : isDatabaseUnavailable(error);
  const reason = error instanceof Error ? error.message : "Unknown error";
  const status = retryable ? await releaseForRetry(run.id, reason) : await markFailed(run.id, reason);
  if (status === "gone") {
    // Deleted by its owner mid-way: the failure (its examples gone, say) is the delete's doing.
    log.info("model deleted while it was being prepared; its creation stops", { modelId: model.id, runId: run.id });
    return "failed";
  }
  log.warn("model preparation failed", { modelId: model.id, runId: run.id, retryable, error });
  return status === "pending" ? "retry-later" : "failed";
}
