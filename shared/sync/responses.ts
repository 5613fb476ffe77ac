import { z } from "zod";

const count = z.number().int().min(0);

/** 200 (every due model checked) or 207 (`success: false`: some could not be, they retry with backoff). */
export const trainingSyncReportResponse = z.object({
  success: z.boolean(),
  claimed: count.describe("Due models claimed"),
  checked: count,
  advanced: count.describe("Models whose status changed"),
  completed: count,
  failed: count,
  resumed: count.describe("Creations taken over from a worker that died"),
  errors: count.describe("Models that could not be checked"),
  deferred: count,
  batches: count,
  durationMs: count,
  catalogue: z.object({
    refreshed: z.array(z.string()).describe("Providers whose model lists were read into the catalogue"),
    failed: z.array(z.string()).describe("Providers whose model lists could not be read"),
  }),
  modelsNearShutdown: z.array(z.object({
    setting: z.string(),
    provider: z.string(),
    model: z.string(),
    shutdownDate: z.string().describe("YYYY-MM-DD (UTC)"),
    daysLeft: z.number().int().describe("Days until the shutdown date; 0 or less: shut down"),
    unlisted: z.boolean().describe("The date is the day the provider's model list stopped naming it"),
    replacement: z.string().nullable().describe("The live model requests go to instead, once this one is dead"),
  })).describe("Configured (or default) models that shut down within 30 days, have, or left the provider's list"),
  retrainsStarted: count.describe("Personas this run started retraining before their fine-tune shuts down"),
  spendAlerts: z.object({
    raised: count.describe("Spend thresholds crossed (once per threshold and UTC day)"),
    delivered: count.describe("Alerts POSTed to ALERT_WEBHOOK_URL"),
    failed: count.describe("Deliveries that failed (retried on the next run)"),
  }),
  queue: z.object({
    started: count.describe("Waiting training runs this run started as provider slots freed"),
    waiting: count.describe("Training runs still waiting for a slot (TRAINING_MAX_ACTIVE_JOBS per provider)"),
  }),
  servingWarnings: z.array(z.string())
    .describe("Training providers whose default base's fine-tunes nothing could serve; such runs are refused (persona mode)"),
  hosting: z.array(z.object({
    provider: z.string(),
    billedModel: z.string().describe("The hosting's id at the provider (a dedicated endpoint)"),
    running: z.boolean(),
    minutes: z.number().min(0).describe("Minutes recorded as spend (kind hosting) this run"),
    usdPerMinute: z.number().min(0),
  })).describe("Per-minute hostings and what this run recorded of them"),
  leftAtProviders: z.object({
    retried: count.describe("Deletions asked for again this run (each leftover at most once a day)"),
    deleted: count.describe("Leftovers the provider deleted this run (now forgotten)"),
    remaining: count.describe("Fine-tunes still left at a provider"),
    left: z.array(z.object({
      provider: z.string(),
      fineTunedModel: z.string(),
      jobId: z.string().nullable(),
      formerModelId: z.string().describe("The deleted persona's id"),
      reason: z.string().describe("The provider's refusal, e.g. OpenAI's 403 without the Owner role"),
      recordedAt: z.iso.datetime(),
      attempts: count,
    })).describe("The oldest leftovers (at most 50)"),
  }).describe("Fine-tunes of deleted personas that their provider refused to delete"),
}).meta({ id: "TrainingSyncReport" });

/** 200 of POST /openai-webhook: the event was applied, ignored, or is a repeated delivery. */
export const webhookReceiptResponse = z.union([
  z.object({
    success: z.literal(true),
    received: z.literal(true),
    models: count.describe("Tracked models with this job"),
    advanced: count,
    deferredToSync: z.boolean().describe("The provider could not be asked: the scheduled sync takes it"),
  }),
  z.object({ success: z.literal(true), received: z.literal(true), ignored: z.literal(true) }),
  z.object({ success: z.literal(true), received: z.literal(true), duplicate: z.literal(true) }),
]).meta({ id: "WebhookReceipt" });

/** 202 of POST /openai-webhook: accepted; the work goes on in the background. */
export const webhookAcceptedResponse = z.object({
  success: z.literal(true),
  received: z.literal(true),
  processing: z.literal(true),
}).meta({ id: "WebhookAccepted" });
