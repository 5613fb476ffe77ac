import { withServiceTransaction } from "../db/client.ts";

/**
 * Standard Webhooks delivers at least once: the same `webhook-id` may arrive again (a retry after a
 * timeout, a replay). Ids are kept in private.openai_webhook_deliveries for a week (pg_cron purges).
 */

/** Records a delivery; false when its id was recorded before (answer it without acting again). */
export async function recordWebhookDelivery(webhookId: string, eventType: string): Promise<boolean> {
  const inserted = await withServiceTransaction((tx) =>
    tx`
      insert into private.openai_webhook_deliveries (webhook_id, event_type)
      values (${webhookId}, ${eventType})
      on conflict (webhook_id) do nothing
      returning webhook_id`
  );
  return inserted.length > 0;
}

/** Forgets a delivery whose handling failed, so OpenAI's retry is acted on. */
export async function forgetWebhookDelivery(webhookId: string): Promise<void> {
  await withServiceTransaction((tx) =>
    tx`delete from private.openai_webhook_deliveries where webhook_id = ${webhookId}`
  );
}
