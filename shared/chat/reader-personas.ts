import type { UserAuth } from "../auth/identity.ts";
import { type Transaction, withUserTransaction } from "../db/client.ts";
import { HttpError, notFound } from "../errors.ts";
import {
  type CreateReaderPersonaBody,
  type EditReaderPersonaBody,
  type ReaderPersona,
  READER_PERSONAS_PER_READER,
} from "./reader-persona-schemas.ts";

/** Who the reader is in their chats: their personas, under their RLS (no one else's). */

const personaJson = `pg_catalog.json_build_object('id', p.id, 'name', p.name, 'description', p.description,
  'playsModelId', p.plays_model_id,
  'plays', (select pg_catalog.json_build_object('entityName', pm.entity_name, 'bookId', pm.book_id)
            from private.fine_tuned_models pm where pm.id = p.plays_model_id),
  'isDefault', p.is_default,
  'createdAt', pg_catalog.to_char(p.created_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

async function refuseUnseenPlayedModel(tx: Transaction, modelId: string | null | undefined) {
  if (!modelId) return;
  const [row] = await tx<{ found: boolean }[]>`
    select exists (select 1 from private.fine_tuned_models where id = ${modelId}) as found`;
  if (!row.found) throw notFound("No such model to play.");
}

/** A new default first takes the flag from the old one (one default per reader). */
async function clearDefault(tx: Transaction, userId: string) {
  await tx`update public.reader_personas set is_default = false where user_id = ${userId} and is_default`;
}

export async function listReaderPersonas(auth: UserAuth): Promise<ReaderPersona[]> {
  const rows = await withUserTransaction(auth, (tx) =>
    tx<{ persona: ReaderPersona }[]>`
      select ${tx.unsafe(personaJson)} as persona from public.reader_personas p
      where p.user_id = ${auth.userId} order by p.created_at, p.id`
  );
  return rows.map((row) => row.persona);
}

export async function createReaderPersona(auth: UserAuth, body: CreateReaderPersonaBody): Promise<ReaderPersona> {
  return await withUserTransaction(auth, async (tx) => {
    await refuseUnseenPlayedModel(tx, body.playsModelId);
    await tx`select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(${`reader-personas:${auth.userId}`}, 0))`;
    const [{ count }] = await tx<{ count: number }[]>`
      select count(*)::integer as count from public.reader_personas where user_id = ${auth.userId}`;
    if (count >= READER_PERSONAS_PER_READER) {
      throw new HttpError(409, "reader_persona_limit_reached",
        `At most ${READER_PERSONAS_PER_READER} personas per reader: edit or delete one first.`,
        { extra: { limit: READER_PERSONAS_PER_READER } });
    }
    if (body.isDefault) await clearDefault(tx, auth.userId);
    const [row] = await tx<{ persona: ReaderPersona }[]>`
      insert into public.reader_personas as p (name, description, plays_model_id, is_default)
      values (${body.name}, ${body.description}, ${body.playsModelId ?? null}, ${body.isDefault})
      returning ${tx.unsafe(personaJson)} as persona`;
    return row.persona;
  });
}

export async function editReaderPersona(auth: UserAuth, personaId: string, body: EditReaderPersonaBody): Promise<ReaderPersona> {
  return await withUserTransaction(auth, async (tx) => {
    await refuseUnseenPlayedModel(tx, body.playsModelId);
    if (body.isDefault) await clearDefault(tx, auth.userId);
    const [row] = await tx<{ persona: ReaderPersona }[]>`
      update public.reader_personas as p set
        name = coalesce(${body.name ?? null}, p.name),
        description = coalesce(${body.description ?? null}, p.description),
        plays_model_id = ${body.playsModelId === undefined ? tx`p.plays_model_id` : tx`${body.playsModelId}::uuid`},
        is_default = coalesce(${body.isDefault ?? null}::boolean, p.is_default)
      where p.id = ${personaId}
      returning ${tx.unsafe(personaJson)} as persona`;
    if (!row) throw notFound("No such persona of yours.");
    return row.persona;
  });
}

export async function deleteReaderPersona(auth: UserAuth, personaId: string): Promise<void> {
  const rows = await withUserTransaction(auth, (tx) =>
    tx`delete from public.reader_personas where id = ${personaId} returning 1`
  );
  if (rows.length === 0) throw notFound("No such persona of yours.");
}
