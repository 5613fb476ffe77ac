import { withServiceTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { log } from "../log.ts";

/**
 * Spend alerts, checked on every training sync tick: a user or the deployment crossing a
 * configured threshold today (UTC) is raised once (a unique row in `private.spend_alerts`), logged
 * as a warning and, with ALERT_WEBHOOK_URL, POSTed as a small JSON with a Slack-compatible `text`.
 * A delivery that fails is tried again on the next tick; chat never waits for any of it.
 */

/** What one check did. */
export interface SpendAlertReport {
  raised: number;
  delivered: number;
  failed: number;
}

/** One webhook POST waits at most this long. */
const WEBHOOK_TIMEOUT_MS = 5_000;
/** Alerts delivered per tick; older undelivered ones first. */
const DELIVERIES_PER_TICK = 20;
/** After this many failed deliveries an alert is given up (it stays in the table and the log). */
const MAX_DELIVERY_ATTEMPTS = 50;

interface AlertRow {
  id: string;
  day: string;
  scope: "user" | "deployment" | "limit";
  subject: string;
  threshold_usd: string;
  spent_usd: string;
}

const usd = (amount: string | number) => `$${Number(amount).toFixed(2)}`;

/** The alert as one sentence: no user content, a user only by id. */
export function alertText(alert: AlertRow, limitUsd: number | undefined): string {
  const spent = `${usd(alert.spent_usd)} on ${alert.day} (UTC)`;
  switch (alert.scope) {
    case "user":
      return `Storyvoice spend alert: user ${alert.subject} has spent ${spent}, past the per-user threshold of ${usd(alert.threshold_usd)}.`;
    case "deployment":
      return `Storyvoice spend alert: the deployment has spent ${spent}, past the threshold of ${usd(alert.threshold_usd)}.`;
    case "limit": {
      const share = limitUsd ? ` (${Math.round((Number(alert.threshold_usd) / limitUsd) * 100)}% of the daily limit of ${usd(limitUsd)})` : "";
      return `Storyvoice spend alert: the deployment has spent ${spent}, reaching ${usd(alert.threshold_usd)}${share}.` +
        (limitUsd && Number(alert.spent_usd) >= limitUsd ? " Chat is refused and new trainings wait until midnight UTC." : "");
    }
  }
}

/** The thresholds configured, in USD. */
function thresholds() {
  const settings = env();
  const limit = settings.DAILY_SPEND_LIMIT_USD;
  return {
    user: settings.ALERT_USER_DAILY_SPEND_USD ?? null,
    deployment: settings.ALERT_DEPLOYMENT_DAILY_SPEND_USD ?? [],
    // Rounded to the ledger's precision, so a share is one key however it is computed.
    limit: limit === undefined ? [] : settings.ALERT_SPEND_LIMIT_PERCENTS.map((percent) => Math.round(limit * percent * 10_000) / 1_000_000),
    limitUsd: limit,
  };
}

/** Raises today's new alerts and delivers the undelivered ones; never throws (a failure is logged). */
export async function checkSpendAlerts(): Promise<SpendAlertReport> {
  const report: SpendAlertReport = { raised: 0, delivered: 0, failed: 0 };
  const configured = thresholds();
  if (configured.user === null && configured.deployment.length === 0 && configured.limit.length === 0) return report;
  try {
    const raised = await withServiceTransaction((tx) =>
      tx<AlertRow[]>`
        select id, to_char(day, 'YYYY-MM-DD') as day, scope, subject, threshold_usd, spent_usd
        from private.raise_spend_alerts(${configured.user}, ${configured.deployment}::numeric[], ${configured.limit}::numeric[])`
    );
    report.raised = raised.length;
    for (const alert of raised) {
      log.warn("spend threshold crossed", {
        scope: alert.scope,
        userId: alert.scope === "user" ? alert.subject : undefined,
        day: alert.day,
        thresholdUsd: Number(alert.threshold_usd),
        spentUsd: Number(alert.spent_usd),
      });
    }
    const url = env().ALERT_WEBHOOK_URL;
    if (url) Object.assign(report, await deliverAlerts(url, configured.limitUsd));
  } catch (error) {
    log.warn("spend alerts could not be checked", { error });
  }
  return report;
}

/**
 * POSTs the undelivered alerts, oldest first. Each is locked while it is sent (`skip locked`), so
 * two ticks at once never send one twice; a failure counts an attempt and waits for the next tick.
 */
async function deliverAlerts(url: string, limitUsd: number | undefined): Promise<Omit<SpendAlertReport, "raised">> {
  return await withServiceTransaction(async (tx) => {
    const due = await tx<AlertRow[]>`
      select id, to_char(day, 'YYYY-MM-DD') as day, scope, subject, threshold_usd, spent_usd
      from private.spend_alerts
      where delivered_at is null and delivery_attempts < ${MAX_DELIVERY_ATTEMPTS}
      order by raised_at
      limit ${DELIVERIES_PER_TICK}
      for update skip locked`;
    let delivered = 0;
    let failed = 0;
    for (const alert of due) {
      const problem = await post(url, {
        text: alertText(alert, limitUsd),
        alert: {
          scope: alert.scope,
          day: alert.day,
          thresholdUsd: Number(alert.threshold_usd),
          spentUsd: Number(alert.spent_usd),
          ...(alert.scope === "user" ? { userId: alert.subject } : {}),
        },
      });
      if (problem === null) {
        delivered++;
        await tx`update private.spend_alerts set delivered_at = now(), delivery_attempts = delivery_attempts + 1, last_delivery_error = null where id = ${alert.id}`;
      } else {
        failed++;
        log.warn("spend alert webhook failed; retrying on the next sync", { alertId: alert.id, problem });
        await tx`update private.spend_alerts set delivery_attempts = delivery_attempts + 1, last_delivery_error = ${problem} where id = ${alert.id}`;
      }
    }
    return { delivered, failed };
  });
}

/** One POST; null when the receiver answered 2xx, else what went wrong (no URL: it may hold a token). */
async function post(url: string, body: unknown): Promise<string | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not connect";
  }
}
