import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { env } from "../env.ts";
import { HttpError, notFound } from "../errors.ts";
import type { ReaderTurnContext } from "./reader-prompt.ts";

type LoadedPersona = NonNullable<ReaderTurnContext["persona"]> & { playsOtherBook: boolean };

/**
 * What a chat turn knows of its reader, under their RLS in one transaction: their memories of the
 * persona, who they are in this conversation (`choice` records a persona for it, null clears the
 * choice; else the earlier choice, else their default) and the conversation's rolling summary.
 * A chosen persona playing a character of another book answers 422: the persona could not know them.
 */
export async function loadReaderContext(
  auth: UserAuth,
  modelId: string,
  conversationId: string,
  choice: string | null | undefined,
): Promise<ReaderTurnContext> {
  const loaded = await withUserTransaction(auth, async (tx) => {
    if (choice === null) {
      await tx`delete from public.conversation_reader_personas where user_id = ${auth.userId} and conversation_id = ${conversationId}`;
    } else if (choice !== undefined) {
      const [mine] = await tx`select 1 from public.reader_personas where id = ${choice}`;
      if (!mine) throw notFound("No such reader persona of yours.");
      await tx`
        insert into public.conversation_reader_personas (conversation_id, reader_persona_id)
        values (${conversationId}, ${choice})
        on conflict (user_id, conversation_id) do update set reader_persona_id = excluded.reader_persona_id`;
    }
    const [row] = await tx<{
      memories: ReaderTurnContext["memories"];
      persona: LoadedPersona | null;
      summary: ReaderTurnContext["summary"];
    }[]>`
      select
        coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', m.id, 'text', m.text)
                                              order by m.updated_at desc, m.id)
                  from (select id, text, updated_at from public.reader_memories
                        where user_id = ${auth.userId} and model_id = ${modelId}
                        order by updated_at desc, id limit ${env().MEMORIES_PER_PERSONA}) m), '[]'::jsonb) as memories,
        (select pg_catalog.jsonb_build_object('id', p.id, 'name', p.name, 'description', p.description,
                  'playsOtherBook', pm.id is not null and pm.book_id is distinct from cm.book_id,
                  'plays', case when pm.id is not null and pm.book_id is not distinct from cm.book_id
                                then pg_catalog.jsonb_build_object('entityName', pm.entity_name, 'description', pm.description) end)
         from public.reader_personas p
         left join private.fine_tuned_models pm on pm.id = p.plays_model_id
         left join private.fine_tuned_models cm on cm.id = ${modelId}
         where p.user_id = ${auth.userId}
           and p.id = coalesce(
             (select c.reader_persona_id from public.conversation_reader_personas c
              where c.user_id = ${auth.userId} and c.conversation_id = ${conversationId}),
             (select d.id from public.reader_personas d where d.user_id = ${auth.userId} and d.is_default))
        ) as persona,
        (select pg_catalog.jsonb_build_object('text', s.summary, 'coversThrough', s.covers_through)
         from public.conversation_summaries s
         where s.user_id = ${auth.userId} and s.conversation_id = ${conversationId} and s.model_id = ${modelId}) as summary`;
    // Refused inside the transaction, so the choice is not recorded either.
    if (choice && row.persona?.playsOtherBook) {
      throw new HttpError(422, "reader_persona_other_book",
        "That persona plays a character of another book: this persona could not know them.");
    }
    return row;
  });
  const persona = loaded.persona;
  return {
    memories: loaded.memories,
    persona: persona
      ? { id: persona.id, name: persona.name, description: persona.description, plays: persona.plays }
      : null,
    summary: loaded.summary,
  };
}

