import { z } from "zod";

/** Query of GET /fine-tune-usage. */
export const usageQuery = z.object({
  days: z.coerce.number().int().min(1).max(30).default(30).describe("How many UTC days of history, today included (1-30)"),
}).strict();

const quotaUse = z.object({
  used: z.number().int().min(0),
  limit: z.number().int().min(0).describe("The plan's quota (the deployment default where the plan sets none)"),
}).meta({ id: "QuotaUse" });

/** 200 of GET /fine-tune-usage: the caller's usage against their plan's quotas. */
export const usageResponse = z.object({
  success: z.literal(true),
  plan: z.object({
    id: z.string().describe("A row of `plans`: private.user_plans, else app_metadata.plan, else `free`"),
    name: z.string(),
  }),
  resetAt: z.iso.datetime().describe("When the daily quotas reset (the next UTC midnight)"),
  quotas: z.object({
    modelsPerDay: quotaUse.describe("Models created today (UTC)"),
    trainingsInFlight: quotaUse.describe("Training runs started at a provider now (more may wait in the training queue)"),
    chatMessagesPerDay: quotaUse.describe("Chat messages sent today (UTC), group replies included"),
    maxExamples: z.number().int().describe("The most examples one training run trains on"),
  }),
  spendTodayUsd: z.number().min(0).describe("Estimated USD spent at providers for this user today (UTC): chats, their personas' teacher and training, speech"),
  days: z.array(z.object({
    day: z.iso.date().describe("A UTC day"),
    chats: z.number().int().min(0).describe("Chat messages sent"),
    models: z.number().int().min(0).describe("Models created"),
    spendUsd: z.number().min(0).describe("Estimated USD spent at providers for this user that day (the spend ledger)"),
  }).meta({ id: "UsageDay" })).describe("Oldest first; the last is today"),
}).meta({ id: "Usage" });
