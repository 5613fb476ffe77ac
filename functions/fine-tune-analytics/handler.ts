import { readUsageAnalytics, usageAnalyticsSchema } from "../../shared/db/analytics.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";

/** GET /fine-tune-analytics — admins only: usage, spend and training analytics of the deployment. */
export default defineEndpoint({
  name: "fine-tune-analytics",
  methods: ["GET"],
  auth: "admin",
  summary: "Usage, spend and training analytics for admins",
  description: "For the service role, or a signed-in user whose JWT carries app_metadata.role = \"admin\"; " +
    "any other user gets 403. The figures of the analytics.* views (docs/operations.md, Analytics for admins).",
  responses: {
    200: { description: "The deployment's analytics", schema: usageAnalyticsSchema },
  },
  async handle() {
    return { body: await readUsageAnalytics() };
  },
});
