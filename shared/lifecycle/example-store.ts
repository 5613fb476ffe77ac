import { withServiceTransaction } from "../db/client.ts";
import { recordSpend } from "../db/spend.ts";
import type { SpendEntry } from "../llm/usage.ts";
import { log } from "../log.ts";
import type { ConversationMessage, TrainingExample } from "../training/jsonl.ts";

/**
 * A model's training examples in the database, in training-file order. Stored as conversations
 * without the system prompt (the style guide is added when a file is built), so the same examples
 * can be trained again with a newer style guide or on another provider.
 */

type StoredMessage = ConversationMessage;

/** The model's examples, oldest position first (empty before they were generated). */
export async function loadTrainingExamples(modelId: string): Promise<TrainingExample[]> {
  const rows = await withServiceTransaction((tx) =>
    tx<{ topic: string | null; messages: StoredMessage[]; source: TrainingExample["source"] }[]>`
      select topic, messages, source from public.training_examples
      where model_id = ${modelId}
      order by position`
  );
  return rows.map((row) => ({
    topic: row.topic ?? "",
    question: row.messages.find((message) => message.role === "user")?.content ?? "",
    answer: row.messages.findLast((message) => message.role === "assistant")?.content ?? "",
    messages: row.messages,
    source: row.source,
  }));
}

/**
 * Stores what the teacher generated after the model's last example, in one statement. It takes the
 * same per-model lock as the owner's own additions (`owner-examples.ts`), so the two never pick one
 * position twice. The teacher's spend that wrote them (`spend`) goes to the ledger in the same
 * transaction.
 */
export async function saveGeneratedExamples(
  modelId: string,
  examples: readonly TrainingExample[],
  spend: readonly SpendEntry[] = [],
): Promise<void> {
  if (examples.length === 0) {
    await recordUnstoredTeacherSpend(spend);
    return;
  }
  const rows = examples.map((example, index) => ({
    index,
    topic: example.topic,
    messages: [
      { role: "user", content: example.question },
      { role: "assistant", content: example.answer },
    ],
  }));
  await withServiceTransaction(async (tx) => {
    await tx`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(${modelId}, 0))`;
    await tx`
      insert into public.training_examples (model_id, source, topic, position, messages)
      select ${modelId}, 'generated', e.topic,
             (select coalesce(max(x.position) + 1, 0) from public.training_examples x where x.model_id = ${modelId}) + e.index,
             e.messages
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as e (index integer, topic text, messages jsonb)`;
    await recordSpend(tx, spend);
  });
}

/**
 * Records teacher calls whose answers were not stored (the step failed, or nothing was usable):
 * the provider bills them all the same. Logs rather than fails: the failure being settled matters more.
 */
export async function recordUnstoredTeacherSpend(spend: readonly SpendEntry[]): Promise<void> {
  if (spend.length === 0) return;
  await withServiceTransaction((tx) => recordSpend(tx, spend))
    .catch((error) => log.warn("could not record the teacher's spend", { error }));
}
