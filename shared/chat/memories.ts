import type { UserAuth } from "../auth/identity.ts";
import { type Transaction, withUserTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { HttpError, notFound, validationFailed } from "../errors.ts";
import type { Memory, PinMemoryBody } from "./memory-schemas.ts";

/**
 * A reader's pinned memories of one persona, under their RLS (no one else reads or writes them).
 * Length and number are the deployment's settings; the prompt takes the most recently written first.
 */

const memoryJson = `pg_catalog.json_build_object('id', m.id, 'modelId', m.model_id, 'text', m.text,
  'sourceChatId', m.source_chat_id,
  'createdAt', pg_catalog.to_char(m.created_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updatedAt', pg_catalog.to_char(m.updated_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/** The bounds in force (settings). */
export function memoryLimits() {
  return {
    maxChars: env().MEMORY_MAX_CHARS,
    maxPerPersona: env().MEMORIES_PER_PERSONA,
    promptTokenBudget: env().MEMORY_PROMPT_TOKEN_BUDGET,
  };
}

const memoryLimitReached = (max: number) =>
  new HttpError(409, "memory_limit_reached", `At most ${max} memories per persona: edit or delete one first.`, {
    extra: { limit: max },
  });

function refuseLongText(text: string) {
  const max = env().MEMORY_MAX_CHARS;
  if (text.length > max) throw validationFailed([{ path: ["text"], message: `At most ${max} characters` }]);
}

/** A reply cut to `max` characters at a word, marked as cut. */
export function cutAtWord(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const head = trimmed.slice(0, max - 1);
  const atWord = head.replace(/\s+\S*$/, "");
  return `${atWord.length >= max / 2 ? atWord : head}…`;
}

async function refuseUnseenModel(tx: Transaction, modelId: string) {
  const [row] = await tx<{ found: boolean }[]>`
    select exists (select 1 from private.fine_tuned_models where id = ${modelId}) as found`;
  if (!row.found) throw notFound("No such model.");
}

/** The caller's memories of a persona they may chat with, most recently written first. */
export async function listMemories(auth: UserAuth, modelId: string): Promise<Memory[]> {
  return await withUserTransaction(auth, async (tx) => {
    await refuseUnseenModel(tx, modelId);
    const rows = await tx<{ memory: Memory }[]>`
      select ${tx.unsafe(memoryJson)} as memory from public.reader_memories m
      where m.user_id = ${auth.userId} and m.model_id = ${modelId}
      order by m.updated_at desc, m.id`;
    return rows.map((row) => row.memory);
  });
}

/**
 * Pins a memory: typed text, or the reply of one of the caller's exchanges with this persona.
 * The count is checked under a lock per reader and persona, so two pins at once cannot pass it.
 */
export async function pinMemory(auth: UserAuth, modelId: string, body: PinMemoryBody): Promise<Memory> {
  if (body.text !== undefined) refuseLongText(body.text);
  const { maxChars, maxPerPersona } = memoryLimits();
  return await withUserTransaction(auth, async (tx) => {
    await refuseUnseenModel(tx, modelId);
    let text = body.text;
    if (body.chatId !== undefined) {
      const [exchange] = await tx<{ ai_response: string }[]>`
        select ai_response from public.fine_tuned_chats
        where id = ${body.chatId} and model_id = ${modelId} and user_id = ${auth.userId}`;
      if (!exchange) throw notFound("No such exchange of yours with this persona.");
      text ??= cutAtWord(exchange.ai_response, maxChars);
    }
    await tx`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(${`memory:${auth.userId}:${modelId}`}, 0))`;
    const [{ count }] = await tx<{ count: number }[]>`
      select count(*)::integer as count from public.reader_memories
      where user_id = ${auth.userId} and model_id = ${modelId}`;
    if (count >= maxPerPersona) throw memoryLimitReached(maxPerPersona);
    const [row] = await tx<{ memory: Memory }[]>`
      insert into public.reader_memories as m (model_id, text, source_chat_id)
      values (${modelId}, ${text!}, ${body.chatId ?? null})
      returning ${tx.unsafe(memoryJson)} as memory`;
    return row.memory;
  });
}

export async function editMemory(auth: UserAuth, modelId: string, memoryId: string, text: string): Promise<Memory> {
  refuseLongText(text);
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ memory: Memory }[]>`
      update public.reader_memories as m set text = ${text}
      where m.id = ${memoryId} and m.model_id = ${modelId}
      returning ${tx.unsafe(memoryJson)} as memory`
  );
  if (!row) throw notFound("No such memory of yours.");
  return row.memory;
}

export async function deleteMemory(auth: UserAuth, modelId: string, memoryId: string): Promise<void> {
  const rows = await withUserTransaction(auth, (tx) =>
    tx`delete from public.reader_memories where id = ${memoryId} and model_id = ${modelId} returning 1`
  );
  if (rows.length === 0) throw notFound("No such memory of yours.");
}
