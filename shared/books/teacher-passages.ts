import { withServiceTransaction } from "../db/client.ts";
import { estimateTokens } from "../llm/tokens.ts";

/** A passage of the persona's book handed to the teacher. */
export interface GroundingPassage {
  chapter: number;
  text: string;
}

/** Passages the teacher sees at most, and the tokens they may take in its prompt. */
export const TEACHER_PASSAGES = 6;
export const TEACHER_PASSAGE_TOKEN_BUDGET = 1800;

/**
 * A few real passages of a model's book for the teacher to ground training examples in: from the
 * text the model's owner uploaded of its book_id, else the oldest public upload (service path:
 * never another user's private text). Spread evenly over the book, taken from the passages that
 * name the persona when some do. Empty when the book has no text.
 */
export async function passagesForTeacher(modelId: string): Promise<GroundingPassage[]> {
  const rows = await withServiceTransaction((tx) =>
    tx<{ chapter: number; text: string }[]>`
      with target as (
        select b.id, m.entity_name
        from private.fine_tuned_models m
        join public.books b on b.book_id = m.book_id and (b.uploaded_by = m.created_by or b.is_public)
        where m.id = ${modelId}
        order by b.uploaded_by = m.created_by desc, b.created_at
        limit 1
      ),
      pool as (
        select p.id, p.chapter, p.position,
               p.search @@ plainto_tsquery('english', t.entity_name) as names_persona
        from public.book_passages p join target t on p.book = t.id
      ),
      parts as (
        select id, chapter, position, ntile(${TEACHER_PASSAGES}) over (order by chapter, position) as part
        from pool
        where names_persona or not exists (select 1 from pool where names_persona)
      )
      select distinct on (parts.part) parts.chapter, p.content as text
      from parts join public.book_passages p on p.id = parts.id
      order by parts.part, parts.chapter, parts.position`
  );
  const kept: GroundingPassage[] = [];
  let used = 0;
  for (const row of rows) {
    const cost = estimateTokens(row.text);
    if (used + cost > TEACHER_PASSAGE_TOKEN_BUDGET) continue;
    used += cost;
    kept.push({ chapter: row.chapter, text: row.text });
  }
  return kept;
}
