import { withServiceTransaction } from "../db/client.ts";
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
    tx<{ topic: string | null; messages: StoredMessage[] }[]>`
      select topic, messages from public.training_examples
      where model_id = ${modelId}
      order by position`
  );
  return rows.map((row) => ({
    topic: row.topic ?? "",
    question: row.messages.find((message) => message.role === "user")?.content ?? "",
    answer: row.messages.findLast((message) => message.role === "assistant")?.content ?? "",
    messages: row.messages,
  }));
}

/**
 * Stores what the teacher generated after the model's other examples (the reader's own), in one
 * statement; a second writer (a race) computes the same places, so it changes nothing.
 */
export async function saveGeneratedExamples(modelId: string, examples: readonly TrainingExample[]): Promise<void> {
  if (examples.length === 0) return;
  const rows = examples.map((example, position) => ({
    position,
    topic: example.topic,
    messages: [
      { role: "user", content: example.question },
      { role: "assistant", content: example.answer },
    ],
  }));
  await withServiceTransaction((tx) =>
    tx`
      insert into public.training_examples (model_id, source, topic, position, messages)
      select ${modelId}, 'generated', e.topic, o.first + e.position, e.messages
      from (select coalesce(max(position) + 1, 0) as first from public.training_examples
            where model_id = ${modelId} and source <> 'generated') o,
        jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as e (position integer, topic text, messages jsonb)
      on conflict (model_id, position) do nothing`
  );
}
