import { z } from "zod";
import { env } from "../../env.ts";
import { readLimitedText } from "../../request-body.ts";
import { HttpError } from "../../errors.ts";
import { openAI, openAIConfigured, openAISdk } from "./client.ts";

/**
 * Verifies an OpenAI webhook delivery (Standard Webhooks: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the endpoint's `whsec_` secret) with the SDK's
 * `webhooks.unwrap`, and reads the event. Answers, as HttpErrors:
 * - 503 `webhook_not_configured`: OPENAI_WEBHOOK_SECRET (or OPENAI_API_KEY) is not set; OpenAI
 *   retries, so events sent before the secret is configured are not lost;
 * - 401 `invalid_signature`: a webhook header is missing or the signature does not match;
 * - 400 `stale_webhook`: the timestamp is over 5 minutes (the SDK's tolerance) from our clock:
 *   a replay, or a clock that is off;
 * - 400 `invalid_json` / `malformed_event`: signed, but not an event;
 * - 413: a body over `MAX_WEBHOOK_BYTES`.
 */

/** OpenAI's events are small JSON documents; anything this large is not one of them. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/** The SDK's default: how far the signed timestamp may be from our clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
const REQUIRED_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

const webhookEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1).max(200),
  created_at: z.number().optional(),
  data: z.object({ id: z.string().min(1).max(200) }),
});

/** A verified event: `data.id` is the object it is about (for fine-tuning events, the job id). */
export interface VerifiedWebhook {
  webhookId: string;
  event: z.infer<typeof webhookEvent>;
}

/** Verifies the delivery and returns its event; throws the HttpError to answer otherwise. */
export async function verifyOpenAIWebhook(request: Request): Promise<VerifiedWebhook> {
  const secret = env().OPENAI_WEBHOOK_SECRET;
  if (!secret || !openAIConfigured()) {
    throw new HttpError(503, "webhook_not_configured", "Webhooks are not configured on this deployment.", {
      retryable: true,
    });
  }
  const body = await readLimitedText(request, MAX_WEBHOOK_BYTES);
  for (const name of REQUIRED_HEADERS) {
    if (!request.headers.get(name)) throw invalidSignature(`The ${name} header is missing.`);
  }

  let payload: unknown;
  try {
    payload = await (await openAI()).webhooks.unwrap(body, request.headers, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof (await openAISdk()).InvalidWebhookSignatureError) {
      if (isOutsideTolerance(request.headers.get("webhook-timestamp")!)) {
        throw new HttpError(400, "stale_webhook", "The webhook timestamp is outside the 5-minute tolerance.");
      }
      throw invalidSignature("The webhook signature does not match.");
    }
    if (error instanceof SyntaxError) throw new HttpError(400, "invalid_json", "The webhook body is not valid JSON.");
    throw error;
  }

  const event = webhookEvent.safeParse(payload);
  if (!event.success) throw new HttpError(400, "malformed_event", "The webhook body is not an event.");
  return { webhookId: request.headers.get("webhook-id")!, event: event.data };
}

// Not `unauthorized()`: that one asks for a bearer token, which is not how webhooks authenticate.
function invalidSignature(message: string): HttpError {
  return new HttpError(401, "invalid_signature", message);
}

function isOutsideTolerance(timestamp: string): boolean {
  const seconds = Number.parseInt(timestamp, 10);
  return Number.isFinite(seconds) && Math.abs(Date.now() / 1000 - seconds) > WEBHOOK_TOLERANCE_SECONDS;
}

