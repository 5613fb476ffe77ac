import postgres from "postgres";
import type { BenchStack } from "./ephemeral-stack.ts";
import { type BenchReport, percentile } from "./report.ts";

/**
 * Spoiler-safe retrieval at scale: 1,000 public books of 10,000 passages each (10M passages, 50
 * chapters of 200), seeded with generate_series. Each passage is 24 words drawn from a 3,000-word
 * vocabulary with a skewed (Zipf-like) frequency, so common words match thousands of passages of a
 * book and rare ones a few. Measured: the chat turn's one statement before the provider call, as
 * shared/chat/turn.ts sends it, at the database (client round trip on loopback):
 * - baseline: `private.begin_chat_turn` alone, a plain chat turn as it was before books;
 * - plain now: the same statement with `private.passages_for_turn` beside it, for a persona whose
 *   book has no text (what every plain chat turn now runs);
 * - retrieval: a persona of one of the books, a reader at a random place, a reader's question.
 * Goal: retrieval p50 at most 2x the baseline's. `BENCH_BOOKS` and `BENCH_PASSAGES_PER_BOOK`
 * scale the seed down for a quick look.
 */

const BOOKS = Number(Deno.env.get("BENCH_BOOKS") ?? 1000);
const PASSAGES_PER_BOOK = Number(Deno.env.get("BENCH_PASSAGES_PER_BOOK") ?? 10_000);
const PASSAGES_PER_CHAPTER = 200;
const CHAPTERS = Math.max(1, Math.floor(PASSAGES_PER_BOOK / PASSAGES_PER_CHAPTER));
const VOCABULARY = 3000;
const WORDS_PER_PASSAGE = 24;
const TURNS = 400;
const GOAL_RATIO = 2;

/** Word `index` of the synthetic vocabulary (`w0`..`w2999`, which English stemming keeps whole). */
const word = (index: number) => `w${index}`;

export async function seedBookPassages(sql: postgres.Sql) {
  const started = performance.now();
  const vocabulary = Array.from({ length: VOCABULARY }, (_, i) => word(i));
  const [uploader] = await sql<{ id: string }[]>`
    insert into auth.users (email) values ('book-bench-' || gen_random_uuid() || '@example.test') returning id`;
  // The search index is built once after the load, as a restore would: far faster than 10M inserts into it.
  const [{ indexdef }] = await sql<{ indexdef: string }[]>`
    select indexdef from pg_indexes where indexname = 'book_passages_search_idx'`;
  await sql`drop index public.book_passages_search_idx`;
  await sql`
    insert into public.books (uploaded_by, book_id, title, is_public, source_format, chapter_count, passage_count)
    select ${uploader.id}, 'bench-book-' || n, 'Bench book ' || n, true, 'text', ${CHAPTERS}, ${CHAPTERS * PASSAGES_PER_CHAPTER}
    from generate_series(1, ${BOOKS}) n`;
  await sql`
    insert into public.book_chapters (book, chapter, title, length, passage_count)
    select b.id, c, 'Chapter ' || c, ${PASSAGES_PER_CHAPTER * WORDS_PER_PASSAGE * 7}, ${PASSAGES_PER_CHAPTER}
    from public.books b, generate_series(1, ${CHAPTERS}) c where b.book_id like 'bench-book-%'`;
  // One book at a time keeps each statement's memory small and shows progress.
  const books = await sql<{ id: string }[]>`select id from public.books where book_id like 'bench-book-%' order by book_id`;
  for (const [i, book] of books.entries()) {
    await sql`
      insert into public.book_passages (book, chapter, position, content)
      select ${book.id}, c, p,
             (select string_agg('w' || floor(${VOCABULARY} * power(random(), 3))::int, ' ')
              from generate_series(1, ${WORDS_PER_PASSAGE} + 0 * p * c))
      from generate_series(1, ${CHAPTERS}) c, generate_series(1, ${PASSAGES_PER_CHAPTER}) p`;
    if ((i + 1) % 100 === 0) console.log(`  seeded ${i + 1} of ${books.length} books`);
  }
  await sql`set maintenance_work_mem = '1GB'`;
  await sql.unsafe(indexdef);
  await sql`vacuum analyze public.book_passages`;
  await sql`analyze public.books`;
  await sql`analyze public.book_chapters`;
  return { uploader: uploader.id, vocabulary, seconds: (performance.now() - started) / 1000 };
}

export async function benchBookRetrieval(stack: BenchStack, report: BenchReport) {
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const { uploader, vocabulary, seconds } = await seedBookPassages(sql);
    const [reader] = await sql<{ id: string }[]>`
      insert into auth.users (email) values ('book-reader-' || gen_random_uuid() || '@example.test') returning id`;
    const claims = { sub: reader.id, role: "authenticated" };
    const [plainModel] = await sql<{ id: string }[]>`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by, style_description)
      values ('Plain persona', 'author', 'Plain persona', 'no-text-book', true, 'ready', ${uploader}, 'Stay in character.')
      returning id`;
    const [bookModel] = await sql<{ id: string }[]>`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by, style_description)
      values ('Keeper', 'character', ${vocabulary[40]}, ${`bench-book-${Math.ceil(BOOKS / 2)}`}, true, 'ready', ${uploader}, 'Stay in character.')
      returning id`;

    // A reader's question: a few words of the book's vocabulary, common and rare, among English ones.
    const question = (i: number) => {
      const pick = (n: number) => vocabulary[Math.floor(VOCABULARY * Math.pow(((i * 7919 + n * 104729) % 1000) / 1000, 2))];
      return `What did you feel about the ${pick(1)} and the ${pick(2)} when ${pick(3)} came to the ${pick(4)}?`;
    };
    const place = (i: number) => ({ chapter: 1 + ((i * 31) % CHAPTERS), percent: (i * 37) % 100 });

    const turn = async (modelId: string, withRetrieval: boolean, i: number) => {
      const position = place(i);
      const start = performance.now();
      const [row] = await sql<{ turn: { outcome: string }; book: { passages: unknown[] } | null }[]>`
        select private.begin_chat_turn(${reader.id}, ${sql.json(claims)}, ${modelId}, null, 1000000, 50) as turn,
               ${withRetrieval
                 ? sql`private.passages_for_turn(${sql.json(claims)}, ${modelId}, ${question(i)},
                                                 ${position.chapter}::integer, ${position.percent}::numeric, 8)`
                 : sql`null::jsonb`} as book`;
      const ms = performance.now() - start;
      if (row.turn.outcome !== "ok") throw new Error(`turn: ${row.turn.outcome}`);
      return { ms, passages: row.book?.passages.length ?? null };
    };

    // Warm the caches, then interleave the three kinds so drift on a shared machine hits them alike.
    for (let i = 0; i < 50; i++) {
      await turn(plainModel.id, false, i);
      await turn(bookModel.id, true, i);
    }
    const baseline: number[] = [];
    const plain: number[] = [];
    const retrieval: number[] = [];
    const found: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      baseline.push((await turn(plainModel.id, false, i)).ms);
      plain.push((await turn(plainModel.id, true, i)).ms);
      const withBook = await turn(bookModel.id, true, i);
      retrieval.push(withBook.ms);
      found.push(withBook.passages ?? 0);
    }
    const p50 = (values: number[]) => percentile(values, 50);
    const ratio = p50(retrieval) / p50(baseline);
    report.figure(
      `chat turn database time with retrieval, ${BOOKS.toLocaleString("en")} books × ${PASSAGES_PER_BOOK.toLocaleString("en")} passages, p50 (p99)`,
      `${p50(retrieval).toFixed(2)} ms (${percentile(retrieval, 99).toFixed(2)}) vs plain turn ${p50(baseline).toFixed(2)} ms: ` +
        `**${ratio.toFixed(2)}x**; plain turn with the retrieval call ${p50(plain).toFixed(2)} ms`,
      `≤ ${GOAL_RATIO}x`,
      ratio <= GOAL_RATIO,
    );

    // As private.passages_for_turn runs it once the book is chosen under the caller's RLS.
    const plan = await sql.begin(async (tx) => {
      const [book] = await tx<{ id: string }[]>`select id from public.books where book_id = ${`bench-book-${Math.ceil(BOOKS / 2)}`}`;
      const rows = await tx.unsafe(`
        explain (analyze, buffers, costs off, timing off, summary off)
        select w.id from (select p.id, p.search from public.book_passages p
                          where p.book = '${book.id}' and (p.chapter, p.position) <= (25, 100)
                          order by p.chapter desc, p.position desc limit 256) w
        where w.search @@ to_tsquery('simple', '${vocabulary[3]} | ${vocabulary[900]}') limit 32`);
      return rows.map((row) => `    ${row["QUERY PLAN"]}`).join("\n");
    });
    return [
      `seeded ${BOOKS.toLocaleString("en")} books × ${PASSAGES_PER_BOOK.toLocaleString("en")} passages (${CHAPTERS} chapters) in ${seconds.toFixed(0)} s`,
      `p50 turn statement: plain ${p50(baseline).toFixed(2)} ms, plain + retrieval call (no text) ${p50(plain).toFixed(2)} ms, ` +
        `with retrieval ${p50(retrieval).toFixed(2)} ms (${ratio.toFixed(2)}x); p99 ${percentile(baseline, 99).toFixed(2)} / ` +
        `${percentile(plain, 99).toFixed(2)} / ${percentile(retrieval, 99).toFixed(2)} ms`,
      `passages per retrieval turn: p50 ${p50(found)}, min ${Math.min(...found)}`,
      `candidate scan of one turn (a common and a rare word, the 256 passages before chapter 25 of ${CHAPTERS}, position 100):\n${plan}`,
    ];
  } finally {
    await sql.end({ timeout: 5 });
  }
}
