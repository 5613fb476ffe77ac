import { z } from "zod";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { runTrainingSync } from "../../shared/sync/run-training-sync.ts";
import { trainingSyncReportResponse } from "../../shared/sync/responses.ts";

/** Optional knobs for a manual run (the cron sends `{}`); the defaults are the production ones. */
const syncRunBody = z.object({
  batchSize: z.number().int().min(1).max(1000).optional(),
  maxModels: z.number().int().min(1).max(100_000).optional(),
  // Under the Edge Function's 150 s wall clock, leaving room for the calls in flight.
  timeBudgetMs: z.number().int().min(1000).max(100_000).optional(),
}).strict();

/**
 * POST /training-sync (service role only; pg_cron calls it every minute). Advances every due
 * training run and answers the sync's report: 200, or 207 when some runs could not be checked
 * (they are retried with backoff) — `success` is false then.
 */
export default defineEndpoint({
  name: "training-sync",
  methods: ["POST"],
  auth: "service",
  body: syncRunBody,
  maxBodyBytes: 1024,
  summary: "Advance every due training run (the scheduled sync)",
  description: "Called by pg_cron every minute with the service key; a manual run may pass smaller limits.",
  responses: {
    200: { description: "Every due training run was checked", schema: trainingSyncReportResponse },
    207: { description: "Some runs could not be checked (`success: false`); they are retried with backoff", schema: trainingSyncReportResponse },
  },
  async handle({ body }) {
    const report = await runTrainingSync(body);
    const partial = report.errors > 0;
    return { status: partial ? 207 : 200, body: { success: !partial, ...report } };
  },
});
