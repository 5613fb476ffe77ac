import { z } from "zod";
import { env } from "../env.ts";
import { withServiceTransaction } from "./client.ts";

/**
 * The admin analytics (`analytics.*` views, which no client role can read), read on the service
 * path for `GET /fine-tune-analytics`: the same figures an admin gets in the SQL editor.
 */

const count = z.number().int().min(0);
const usd = z.number().min(0);

export const usageAnalyticsSchema = z.object({
  success: z.literal(true),
  generatedAt: z.string().describe("When these figures were read (ISO)"),
  spendTodayUsd: usd.describe("The deployment's spend today (UTC), as the spend ledger estimates it"),
  dailySpendLimitUsd: usd.nullable().describe("DAILY_SPEND_LIMIT_USD, null when unset"),
  popularModels: z.array(z.object({
    modelId: z.uuid(),
    name: z.string(),
    type: z.string(),
    bookId: z.string(),
    isPublic: z.boolean(),
    provider: z.string(),
    chatCount: count,
    chats7d: count,
    users7d: count,
    chats30d: count,
    users30d: count,
  })).describe("The 20 personas with the most one-to-one chats in the last 30 days (as of the hourly refresh)"),
  dailyUsage: z.array(z.object({
    day: z.string().describe("YYYY-MM-DD (UTC)"),
    chats: count.describe("Replies answered (one-to-one and group)"),
    activeUsers: count,
    modelsCreated: count,
    tokens: count,
    spendUsd: usd,
  })).describe("The last 90 days, oldest first"),
  spendPerUser: z.array(z.object({
    userId: z.uuid(),
    spend30dUsd: usd,
    spendTodayUsd: usd,
    requests30d: count,
    tokens30d: count,
  })).describe("The 20 users who spent most in the last 30 days"),
  spendPerModel: z.array(z.object({
    modelId: z.uuid(),
    name: z.string().nullable().describe("Null when the persona was deleted"),
    spend30dUsd: usd,
    chatUsd: usd,
    teacherUsd: usd,
    trainingUsd: usd,
    speechUsd: usd,
    requests30d: count,
  })).describe("The 20 personas that cost most in the last 30 days"),
  spendPerProvider: z.array(z.object({
    provider: z.string(),
    billedModel: z.string(),
    kind: z.string(),
    spend30dUsd: usd,
    requests30d: count,
    inputTokens30d: count,
    outputTokens30d: count,
    trainedTokens30d: count,
    characters30d: count.describe("Characters read aloud (speech)"),
  })).describe("Spend in the last 30 days by provider, billed model and kind of call"),
  trainingOutcomes: z.array(z.object({
    provider: z.string(),
    runs: count,
    completed: count,
    failed: count,
    personaMode: count,
    cancelled: count,
    inFlight: count,
    medianSecondsToReady: z.number().nullable(),
  })),
  trainingQueue: z.object({
    waiting: count.describe("Runs not finished and without a provider job yet"),
    usersWaiting: count,
    oldestSince: z.string().nullable(),
  }),
}).meta({ id: "UsageAnalytics" });

export type UsageAnalytics = Omit<z.infer<typeof usageAnalyticsSchema>, "success">;

const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Every analytics view, read in one transaction (the queries pipelined). */
export async function readUsageAnalytics(): Promise<UsageAnalytics> {
  return await withServiceTransaction(async (tx) => {
    const [today, popular, daily, users, models, providers, outcomes, queue] = await Promise.all([
      tx<{ spent: string }[]>`select private.deployment_spend_today() as spent`,
      tx`select * from analytics.popular_models order by recent_chat_count desc, chat_count desc, model_id desc limit 20`,
      tx`select to_char(day, 'YYYY-MM-DD') as day, chats, active_users, models_created, tokens, spend_usd from analytics.daily_usage order by day`,
      tx`select * from analytics.spend_per_user order by spend_30d_usd desc, user_id limit 20`,
      tx`select * from analytics.spend_per_model order by spend_30d_usd desc, model_id limit 20`,
      tx`select * from analytics.spend_per_provider order by spend_30d_usd desc, provider, billed_model, kind`,
      tx`select * from analytics.training_outcomes order by provider`,
      tx<{ waiting: string; users_waiting: string; oldest_since: Date | null }[]>`select * from analytics.training_queue`,
    ]);
    return {
      generatedAt: new Date().toISOString(),
      spendTodayUsd: n(today[0].spent),
      dailySpendLimitUsd: env().DAILY_SPEND_LIMIT_USD ?? null,
      popularModels: popular.map((row) => ({
        modelId: row.model_id, name: row.name, type: row.type, bookId: row.book_id, isPublic: row.is_public,
        provider: row.provider, chatCount: n(row.chat_count), chats7d: n(row.chats_7d), users7d: n(row.users_7d),
        chats30d: n(row.chats_30d), users30d: n(row.users_30d),
      })),
      dailyUsage: daily.map((row) => ({
        day: row.day, chats: n(row.chats), activeUsers: n(row.active_users), modelsCreated: n(row.models_created),
        tokens: n(row.tokens), spendUsd: n(row.spend_usd),
      })),
      spendPerUser: users.map((row) => ({
        userId: row.user_id, spend30dUsd: n(row.spend_30d_usd), spendTodayUsd: n(row.spend_today_usd),
        requests30d: n(row.requests_30d), tokens30d: n(row.tokens_30d),
      })),
      spendPerModel: models.map((row) => ({
        modelId: row.model_id, name: row.name ?? null, spend30dUsd: n(row.spend_30d_usd), chatUsd: n(row.chat_usd),
        teacherUsd: n(row.teacher_usd), trainingUsd: n(row.training_usd), speechUsd: n(row.speech_usd),
        requests30d: n(row.requests_30d),
      })),
      spendPerProvider: providers.map((row) => ({
        provider: row.provider, billedModel: row.billed_model, kind: row.kind, spend30dUsd: n(row.spend_30d_usd),
        requests30d: n(row.requests_30d), inputTokens30d: n(row.input_tokens_30d),
        outputTokens30d: n(row.output_tokens_30d), trainedTokens30d: n(row.trained_tokens_30d),
        characters30d: n(row.characters_30d),
      })),
      trainingOutcomes: outcomes.map((row) => ({
        provider: row.provider, runs: n(row.runs), completed: n(row.completed), failed: n(row.failed),
        personaMode: n(row.persona_mode), cancelled: n(row.cancelled), inFlight: n(row.in_flight),
        medianSecondsToReady: row.median_seconds_to_ready === null ? null : Number(row.median_seconds_to_ready),
      })),
      trainingQueue: {
        waiting: n(queue[0].waiting),
        usersWaiting: n(queue[0].users_waiting),
        oldestSince: iso(queue[0].oldest_since),
      },
    };
  });
}
