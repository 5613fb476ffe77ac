import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { readUsage } from "../../shared/lifecycle/usage.ts";
import { usageQuery, usageResponse } from "../../shared/models/usage-schemas.ts";

/**
 * GET /fine-tune-usage?days= — the caller's own usage against their plan: models created today,
 * trainings in flight, chat messages today, each with its quota, and the last `days` UTC days.
 */
export default defineEndpoint({
  name: "fine-tune-usage",
  methods: ["GET"],
  auth: "user",
  query: usageQuery,
  summary: "The caller's usage against their plan's quotas",
  description: "Today's counters (the ones the 429s are decided on), trainings in flight, and the last 30 UTC days.",
  responses: {
    200: { description: "The caller's plan, quotas and recent days", schema: usageResponse },
  },
  async handle({ auth, query }) {
    return { body: await readUsage(auth, query.days) };
  },
});
