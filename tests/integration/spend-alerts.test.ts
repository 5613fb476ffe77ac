import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordSpend } from "../../shared/db/spend.ts";
import { withServiceTransaction } from "../../shared/db/client.ts";
import { checkSpendAlerts } from "../../shared/sync/spend-alerts.ts";
import { adminSql, createUser, useStackEnvironment } from "../support/stack.ts";
import { useSuiteDatabase } from "../support/suite-database.ts";

// Spend alerts against a real webhook receiver on loopback: each threshold once per day, a failed
// delivery retried on the next check.

useSuiteDatabase();

let receiver: Server;
let url: string;
let received: { text: string; alert: Record<string, unknown> }[] = [];
/** Status the receiver answers next (then 200). */
let failNext = 0;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(body));
  });
}

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const body = await readBody(request);
    if (failNext > 0) {
      failNext--;
      response.writeHead(500).end("no");
      return;
    }
    received.push(JSON.parse(body));
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/spend`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(() => {
  received = [];
  failNext = 0;
});

async function spend(userId: string, costlyTokens: number) {
  // gpt-4.1: $8 per 1M output tokens.
  await withServiceTransaction((tx) =>
    recordSpend(tx, [{ userId, modelId: crypto.randomUUID(), kind: "chat", provider: "openai", billedModel: "gpt-4.1", outputTokens: costlyTokens }])
  );
}

describe("spend alerts", () => {
  it("raise each crossed threshold once a day, log it, and POST a Slack-compatible text once; a failed POST is retried", async () => {
    useStackEnvironment({
      ALERT_USER_DAILY_SPEND_USD: "1",
      ALERT_DEPLOYMENT_DAILY_SPEND_USD: "2,1000",
      DAILY_SPEND_LIMIT_USD: "4",
      ALERT_SPEND_LIMIT_PERCENTS: "50,100",
      ALERT_WEBHOOK_URL: url,
    });
    const alice = await createUser("alerts-alice");
    const bob = await createUser("alerts-bob");
    await spend(alice.id, 250_000); // $2
    await spend(bob.id, 50_000); // $0.40

    // Alice past $1, the deployment past $2 and 50% of $4; the receiver fails the first POST.
    failNext = 1;
    expect(await checkSpendAlerts()).toEqual({ raised: 3, delivered: 2, failed: 1 });
    expect(await checkSpendAlerts()).toEqual({ raised: 0, delivered: 1, failed: 0 });
    expect(await checkSpendAlerts()).toEqual({ raised: 0, delivered: 0, failed: 0 });
    expect(received.map((post) => post.alert.scope).sort()).toEqual(["deployment", "limit", "user"]);
    const userAlert = received.find((post) => post.alert.scope === "user")!;
    expect(userAlert.text).toMatch(new RegExp(`^Storyvoice spend alert: user ${alice.id} has spent \\$2\\.00 on \\d{4}-\\d{2}-\\d{2} \\(UTC\\), past the per-user threshold of \\$1\\.00\\.$`));
    expect(userAlert.alert).toMatchObject({ userId: alice.id, thresholdUsd: 1, spentUsd: 2 });
    expect(received.find((post) => post.alert.scope === "limit")!.text).toMatch(/reaching \$2\.00 \(50% of the daily limit of \$4\.00\)/);

    // Past the limit (and Bob past $1): the 100% alert, once, saying what happens.
    await spend(bob.id, 250_000);
    expect(await checkSpendAlerts()).toEqual({ raised: 2, delivered: 2, failed: 0 });
    expect(received.find((post) => post.alert.thresholdUsd === 4)!.text).toMatch(/reaching \$4\.00 \(100% of the daily limit of \$4\.00\)\. Chat is refused and new trainings wait until midnight UTC\./);
    expect(await checkSpendAlerts()).toEqual({ raised: 0, delivered: 0, failed: 0 });
    expect(received).toHaveLength(5);

    const rows = await adminSql()<{ scope: string; delivery_attempts: number; delivered_at: Date | null }[]>`
      select scope, delivery_attempts, delivered_at from private.spend_alerts order by raised_at, scope`;
    expect(rows.every((row) => row.delivered_at !== null)).toBe(true);
    expect(rows.map((row) => row.delivery_attempts).sort()).toEqual([1, 1, 1, 1, 2]);
  });

  it("without thresholds nothing is checked; without a webhook alerts are raised and logged only", async () => {
    useStackEnvironment({ ALERT_USER_DAILY_SPEND_USD: undefined, ALERT_DEPLOYMENT_DAILY_SPEND_USD: undefined, DAILY_SPEND_LIMIT_USD: undefined, ALERT_WEBHOOK_URL: undefined });
    expect(await checkSpendAlerts()).toEqual({ raised: 0, delivered: 0, failed: 0 });
    useStackEnvironment({ ALERT_USER_DAILY_SPEND_USD: "0.5", ALERT_WEBHOOK_URL: undefined });
    const carol = await createUser("alerts-carol");
    await spend(carol.id, 100_000); // $0.80
    const { raised } = await checkSpendAlerts();
    expect(raised).toBeGreaterThanOrEqual(1);
    expect(received).toEqual([]);
  });
});
