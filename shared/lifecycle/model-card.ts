import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { log } from "../log.ts";
import type { CardSource } from "../models/character-card.ts";
import { MAX_CREATION_EXAMPLES } from "../models/create-schemas.ts";

/**
 * A model as its Character Card shows it to the caller: any model they may see (their own, or a
 * public one), as RLS shows its row. The owner's own and chat examples go on the card only for
 * the owner: they are the owner's writing and their readers' words.
 */
export async function loadCardSource(auth: UserAuth, modelId: string): Promise<CardSource> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<(Omit<CardSource, "examples"> & { examples: CardSource["examples"] | null })[]>`
      select m.id, m.type, m.entity_name, m.book_id, m.book_info, m.description, m.greeting,
             m.alternate_greetings,
             case when m.created_by = ${auth.userId} then (
               select json_agg(json_build_object('messages', e.messages) order by e.position)
               from (select messages, position from public.training_examples
                     where model_id = m.id and source in ('user', 'chat')
                     order by position limit ${MAX_CREATION_EXAMPLES}) e
             ) end as examples
      from public.fine_tuned_models m
      where m.id = ${modelId}`
  );
  if (!row) throw notFound("No such model.");
  return { ...row, examples: row.examples ?? [] };
}

/**
 * Keeps the picture a card was imported with (as the owner, under RLS). A picture that cannot be
 * stored leaves the created model as it is: the export falls back to a placeholder pixel.
 */
export async function saveCardPicture(auth: UserAuth, modelId: string, picture: Uint8Array): Promise<void> {
  try {
    await withUserTransaction(auth, (tx) =>
      tx`insert into public.model_card_pictures (model_id, png) values (${modelId}, ${picture as never})
         on conflict (model_id) do nothing`
    );
  } catch (error) {
    log.warn("could not keep the card's picture", { modelId, error });
  }
}

/** The picture a model's card was imported with, if the caller may see the model and it has one. */
export async function loadCardPicture(auth: UserAuth, modelId: string): Promise<Uint8Array | undefined> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ png: Uint8Array }[]>`select png from public.model_card_pictures where model_id = ${modelId}`
  );
  return row ? new Uint8Array(row.png) : undefined;
}
