import type { UserAuth } from "../auth/identity.ts";
import { chatFallbackModel } from "../catalogue/model-choice.ts";
import { withServiceTransaction } from "../db/client.ts";
import { recordSpend } from "../db/spend.ts";
import { env } from "../env.ts";
import { completeChat } from "../providers/chat.ts";
import { chatSpendEntry } from "./spend.ts";
import { type Exchange, historyWindow } from "./prompt.ts";

/**
 * The rolling summary of a conversation that outgrew CHAT_HISTORY_TOKEN_BUDGET: the exchanges that
 * no longer fit (and the oldest that still do, up to half the budget, so it is refreshed every few
 * turns rather than every turn) are folded into the stored summary by the chat model. It runs after
 * the reply is stored, off the reply's path; a turn uses the summary stored when it began.
 */

/** The instructions of a summary request; what makes a model (or the simulator) summarise. */
export const SUMMARY_INSTRUCTIONS =
  "You keep the running summary of a conversation between a reader and a persona. Rewrite the summary so far " +
  "with the new exchanges folded in, in plain sentences. Keep every fact the reader gave about themselves, names, " +
  "places, promises and decisions; drop small talk. Answer with the summary only.";

/** Exchanges read for one refresh at most: a summary that fell far behind catches up over several turns. */
const REFRESH_READ_LIMIT = 200;
/** Per attempt: a summary is worth one bounded try, not a stuck worker. */
const SUMMARY_TIMEOUT_MS = 20_000;

/** The request text: the summary so far, then the exchanges to fold in. */
export function summaryRequest(previous: string | null, exchanges: Exchange[]): string {
  const lines = exchanges.flatMap((exchange) => [`Reader: ${exchange.user}`, `Persona: ${exchange.assistant}`]);
  return `Summary so far:\n${previous ?? "(none yet)"}\n\nNew exchanges:\n${lines.join("\n")}`;
}

/**
 * Whether a turn should refresh the summary once its exchange is stored: the history no longer
 * fitted the budget and the exchanges that fell out are not all covered yet.
 */
export function summaryFallsBehind(
  history: Exchange[],
  coversThrough: number | null,
  storedOrder: number,
): boolean {
  const { start } = historyWindow(history, env().CHAT_HISTORY_TOKEN_BUDGET);
  if (start === 0) return false;
  // The history is the newest exchanges before the stored one: the first kept one's order.
  const firstKeptOrder = storedOrder - (history.length - start);
  return (coversThrough ?? 0) < firstKeptOrder - 1;
}

/** Folds the exchanges that fell (or are about to fall) out of the history budget into the summary. */
export async function refreshSummary(auth: UserAuth, modelId: string, conversationId: string): Promise<void> {
  const [stored] = await withServiceTransaction((tx) =>
    tx<{ summary: string | null; covers_through: number; exchanges: (Exchange & { order: number })[] }[]>`
      with summary as (
        select s.summary, s.covers_through from public.conversation_summaries s
        where s.user_id = ${auth.userId} and s.conversation_id = ${conversationId}
      )
      select (select summary from summary) as summary,
             coalesce((select covers_through from summary), 0) as covers_through,
             coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                         'user', c.user_message, 'assistant', c.ai_response, 'order', c.message_order)
                       order by c.message_order)
                       from (select user_message, ai_response, message_order from public.fine_tuned_chats
                             where user_id = ${auth.userId} and conversation_id = ${conversationId}
                               and model_id = ${modelId}
                               and message_order > coalesce((select covers_through from summary), 0)
                             order by message_order limit ${REFRESH_READ_LIMIT}) c), '[]'::jsonb) as exchanges`
  );
  const budget = env().CHAT_HISTORY_TOKEN_BUDGET;
  if (historyWindow(stored.exchanges, budget).start === 0) return;
  const fold = stored.exchanges.slice(0, historyWindow(stored.exchanges, Math.floor(budget / 2)).start);
  if (fold.length === 0) return;

  const model = await chatFallbackModel();
  if (!model) return;
  const reply = await completeChat({
    ...model,
    messages: [
      { role: "system", content: SUMMARY_INSTRUCTIONS },
      { role: "user", content: summaryRequest(stored.summary, fold) },
    ],
    maxTokens: env().CHAT_SUMMARY_MAX_TOKENS,
    timeoutMs: SUMMARY_TIMEOUT_MS,
    maxRetries: 1,
  });
  const text = reply.text.trim();
  if (!text) return;
  const coversThrough = fold[fold.length - 1].order;
  const spend = chatSpendEntry(auth, { id: modelId, base_model: null }, {
    model: reply.model,
    provider: model.provider,
    usingFallback: true,
    usage: reply.usage,
  });
  await withServiceTransaction(async (tx) => {
    // A refresh that finished later but covers less never replaces a newer one.
    await tx`
      insert into public.conversation_summaries as s (user_id, conversation_id, model_id, summary, covers_through)
      values (${auth.userId}, ${conversationId}, ${modelId}, ${text}, ${coversThrough})
      on conflict (user_id, conversation_id) do update
        set summary = excluded.summary, covers_through = excluded.covers_through, updated_at = pg_catalog.now()
        where s.covers_through < excluded.covers_through`;
    await recordSpend(tx, [spend]);
  });
}
