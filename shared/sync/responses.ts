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
