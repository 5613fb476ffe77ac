import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { runInBackground } from "../../shared/lifecycle/background.ts";
import { applyJobEvent, type JobEventOutcome } from "../../shared/sync/apply-job-event.ts";
import { verifyOpenAIWebhook } from "../../shared/providers/openai/webhook.ts";
import { forgetWebhookDelivery, recordWebhookDelivery } from "../../shared/sync/webhook-deliveries.ts";
import { errorBody } from "../../shared/errors.ts";
import { webhookAcceptedResponse, webhookReceiptResponse } from "../../shared/sync/responses.ts";

/** The events this endpoint acts on; OpenAI may send others to the same URL (batches, responses). */
const FINE_TUNING_EVENTS = new Set(["fine_tuning.job.succeeded", "fine_tuning.job.failed", "fine_tuning.job.cancelled"]);
/** Answer within this even if the provider is slow: OpenAI wants a quick 2xx; the work goes on. */
const INLINE_WAIT_MS = 3_000;

/**
 * POST /openai-webhook — OpenAI's fine-tuning job events. No bearer token: the Standard Webhooks
 * signature is the authentication (see shared/providers/openai/webhook.ts for every error answer). A verified
 * event is answered 200; one whose work outlives `INLINE_WAIT_MS` is answered 202 and finished in
 * the background. A redelivered `webhook-id` is answered 200 without acting again. The scheduled
 * sync stays the backstop for any event that is lost.
 */
export default defineEndpoint({
  name: "openai-webhook",
  methods: ["POST"],
  auth: "none",
  signedBy: "standard-webhooks",
  summary: "OpenAI's fine-tuning job events",
  description: "A Standard Webhooks delivery signed with the endpoint's secret; the body is OpenAI's event, `{ id, type, created_at, data: { id } }`.",
  responses: {
    200: { description: "Applied, ignored (not a fine-tuning event) or a repeated delivery", schema: webhookReceiptResponse },
    202: { description: "Accepted; still being applied in the background", schema: webhookAcceptedResponse },
    400: { description: "`stale_webhook` (timestamp outside 5 minutes), `invalid_json` or `malformed_event`", schema: errorBody },
    401: { description: "`invalid_signature`: a webhook header is missing or the signature does not match", schema: errorBody },
    413: { description: "The body is too large for an event", schema: errorBody },
    503: { description: "`webhook_not_configured`, or the database is unavailable (`retryable: true`)", schema: errorBody },
  },
  async handle({ request, requestId }) {
    const { webhookId, event } = await verifyOpenAIWebhook(request);
    if (!FINE_TUNING_EVENTS.has(event.type)) {
      return { body: { received: true, ignored: true } };
    }
    if (!(await recordWebhookDelivery(webhookId, event.type))) {
      return { body: { received: true, duplicate: true } };
    }

    const work = applyJobEvent("openai", event.data.id).catch(async (error) => {
      // Nothing was applied: let OpenAI's retry of this delivery count.
      await forgetWebhookDelivery(webhookId).catch(() => {});
      throw error;
    });
    void runInBackground(`openai-webhook ${requestId}`, () => work);
    const outcome = await settledWithin(work, INLINE_WAIT_MS);
    if (!outcome) return { status: 202, body: { received: true, processing: true } };
    return { body: { received: true, ...summary(outcome) } };
  },
});

function summary(outcome: JobEventOutcome) {
  return { models: outcome.models, advanced: outcome.advanced, deferredToSync: outcome.deferredToSync };
}

/** The promise's value, or null when it takes longer than `ms` (it keeps running). */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
