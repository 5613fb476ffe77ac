import type { UserAuth } from "../auth/identity.ts";
import { onDatabase, type Transaction, withUserTransaction } from "../db/client.ts";
import { notFound, validationFailed } from "../errors.ts";
import { describeProblems } from "../training/jsonl.ts";
import type { ConversationMessage } from "../training/jsonl.ts";
import { importTrainingJsonl } from "../training/import-jsonl.ts";

/**
 * The owner's side of a model's training examples: list, add, import, edit, delete. Everything
 * runs as the user, so RLS and the column privileges on `training_examples` are the authority
 * (another user's model, public or not, is a 404, as elsewhere).
 */

/** A stored example as the Data API shows it. */
export interface ExampleRow {
  id: string;
  model_id: string;
  source: "generated" | "user" | "chat";
  topic: string | null;
  position: number;
  messages: ConversationMessage[];
  chat_id: string | null;
  created_at: string;
}

/** New examples: the owner's own, or exchanges taken from chats. */
export interface NewExample {
  source: "user" | "chat";
  topic: string | null;
  messages: readonly ConversationMessage[];
}

const exampleJson = (tx: Transaction) => tx`pg_catalog.row_to_json(e)`;

/** 404 unless the caller owns the model (RLS shows others' public models, so ownership is asked). */
async function requireOwnModel(tx: Transaction, auth: UserAuth, modelId: string): Promise<void> {
  const [model] = await tx`
    select 1 from public.fine_tuned_models where id = ${modelId} and created_by = ${auth.userId}`;
  if (!model) throw notFound("No such model.");
}

/** The model's examples in training-file order. */
export async function listExamples(auth: UserAuth, modelId: string): Promise<ExampleRow[]> {
  return await withUserTransaction(auth, async (tx) => {
    await requireOwnModel(tx, auth, modelId);
    const rows = await tx<{ example: ExampleRow }[]>`
      select ${exampleJson(tx)} as example from public.training_examples e
      where e.model_id = ${modelId} order by e.position`;
    return rows.map((row) => row.example);
  });
}

/** Appends examples after the model's last one, in one statement and in order. */
export async function addExamples(auth: UserAuth, modelId: string, examples: readonly NewExample[]): Promise<ExampleRow[]> {
  return await withUserTransaction(auth, async (tx) => {
    await requireOwnModel(tx, auth, modelId);
    // Two adds at once would pick the same positions: the model's adds take turns.
    await tx`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(${modelId}, 0))`;
    const rows = examples.map((example, index) => ({ ...example, index }));
    const inserted = await tx<{ example: ExampleRow }[]>`
      with next as (
        select coalesce(max(position) + 1, 0) as position from public.training_examples where model_id = ${modelId}
      ), added as (
        insert into public.training_examples (model_id, source, topic, position, messages)
        select ${modelId}, n.source, n.topic, (select position from next) + n.index, n.messages
        from jsonb_to_recordset(${tx.json(rows as never)}::jsonb)
          as n (source text, topic text, index integer, messages jsonb)
        returning *
      )
      select ${exampleJson(tx)} as example from added e order by e.position`;
    return inserted.map((row) => row.example);
  });
}

/** Imports OpenAI chat JSONL as `user` examples: all lines or none, bad lines named (422). */
export async function importExamples(auth: UserAuth, modelId: string, jsonl: string): Promise<ExampleRow[]> {
  const imported = importTrainingJsonl(jsonl);
  if (!imported.ok) {
    throw validationFailed(imported.problems.map(({ line, problem }) => ({
      path: line === null ? ["jsonl"] : ["jsonl", line],
      message: describeProblems([{ line, problem }]),
    })));
  }
  return await addExamples(
    auth,
    modelId,
    imported.conversations.map((messages) => ({ source: "user" as const, topic: null, messages })),
  );
}

/**
 * Turns the up-rated exchanges of the owner's own chats with the model, then (for a public model)
 * those of readers who consented to share them, anonymised by the database, into `chat` examples,
 * each group oldest first, after the model's last example. An exchange already taken (its example
 * still stored) is skipped, so a second call adds nothing; RLS lets the owner read, and link, only
 * their own exchanges. What was added comes back for review before a retrain.
 */
export async function addExamplesFromRatedChats(auth: UserAuth, modelId: string): Promise<ExampleRow[]> {
  const own = await withUserTransaction(auth, async (tx) => {
    await requireOwnModel(tx, auth, modelId);
    await tx`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(${modelId}, 0))`;
    const inserted = await tx<{ example: ExampleRow }[]>`
      with next as (
        select coalesce(max(position) + 1, 0) as position from public.training_examples where model_id = ${modelId}
      ), rated as (
        select c.id, c.user_message, c.ai_response,
               row_number() over (order by c.created_at, c.conversation_id, c.message_order) - 1 as index
        from public.fine_tuned_chats c
        where c.model_id = ${modelId} and c.user_id = ${auth.userId} and c.rating = 'up'
          -- An imported transcript's replies are not the model's words.
          and not c.imported
          and pg_catalog.btrim(c.ai_response) <> ''
          and not exists (select 1 from public.training_examples t where t.chat_id = c.id and t.model_id = ${modelId})
      ), added as (
        insert into public.training_examples (model_id, source, topic, position, messages, chat_id)
        select ${modelId}, 'chat', null, (select position from next) + r.index,
               pg_catalog.jsonb_build_array(
                 pg_catalog.jsonb_build_object('role', 'user', 'content', r.user_message),
                 pg_catalog.jsonb_build_object('role', 'assistant', 'content', r.ai_response)),
               r.id
        from rated r
        returning *
      )
      select ${exampleJson(tx)} as example from added e order by e.position`;
    return inserted.map((row) => row.example);
  });
  // Other readers' exchanges are not the owner's to read: the service connection takes the
  // consented ones (one statement, as the chat turn does) for the verified owner of a public
  // model, anonymised with the readers' names from auth.users, after the owner's own.
  const shared = await onDatabase((sql) =>
    sql<{ example: ExampleRow }[]>`
      select pg_catalog.row_to_json(e) as example
      from private.take_consented_rated_exchanges(${auth.userId}, ${modelId.toLowerCase()}) e`
  );
  return [...own, ...shared.map((row) => row.example)];
}

/** Changes an example's topic or conversation (its source stays: it says who wrote it first). */
export async function editExample(
  auth: UserAuth,
  modelId: string,
  exampleId: string,
  change: { topic?: string | null; messages?: readonly ConversationMessage[] },
): Promise<ExampleRow> {
  return await withUserTransaction(auth, async (tx) => {
    await requireOwnModel(tx, auth, modelId);
    const [row] = await tx<{ example: ExampleRow }[]>`
      with edited as (
        update public.training_examples
        set topic = case when ${change.topic !== undefined} then ${change.topic ?? null} else topic end,
            messages = coalesce(${change.messages ? tx.json(change.messages as never) : null}::jsonb, messages)
        where id = ${exampleId} and model_id = ${modelId}
        returning *
      )
      select ${exampleJson(tx)} as example from edited e`;
    if (!row) throw notFound("No such example.");
    return row.example;
  });
}

/** Removes an example; the next training file is built without it. */
export async function deleteExample(auth: UserAuth, modelId: string, exampleId: string): Promise<void> {
  await withUserTransaction(auth, async (tx) => {
    await requireOwnModel(tx, auth, modelId);
    const deleted = await tx`
      delete from public.training_examples where id = ${exampleId} and model_id = ${modelId} returning id`;
    if (deleted.length === 0) throw notFound("No such example.");
  });
}
