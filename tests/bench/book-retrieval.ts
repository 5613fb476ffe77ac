import postgres from "postgres";
import { spendEntriesJson } from "../../shared/db/spend.ts";
import type { BenchStack } from "./ephemeral-stack.ts";
import { type BenchReport, percentile } from "./report.ts";

/**
 * Spoiler-safe retrieval at scale: 1,000 public books of 10,000 passages each (10M passages, 50
 * chapters of 200), seeded with generate_series. Each passage is 24 words drawn from a 3,000-word
 * vocabulary with a skewed (Zipf-like) frequency, so common words match thousands of passages of a
 * book and rare ones a few. Measured: a chat turn's database time, its two statements as the
 * chat function sends them (client round trips on loopback): the one before the provider call
 * (shared/chat/turn.ts) and the one that stores the answered exchange with its spend
 * (shared/chat/store.ts), for
 * - a plain chat turn: a persona whose book has no text (`private.passages_for_turn` beside
 *   `private.begin_chat_turn` finds nothing, as on every plain turn);
 * - a retrieval turn: a persona of one of the books, a reader at a random place, a reader's question.
 * Goal: the retrieval turn's p50 at most 2x the plain turn's. The first statement alone is reported
 * too, against `private.begin_chat_turn` alone (a plain turn as it was before books), where the
 * retrieval's own cost shows undiluted. `BENCH_BOOKS` and `BENCH_PASSAGES_PER_BOOK` scale the seed
 * down for a quick look.
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

    /** One turn's statements, timed: before the provider call, then (`store`) the answered exchange. */
    const turn = async (modelId: string, withRetrieval: boolean, i: number, store = true) => {
      const position = place(i);
      const start = performance.now();
      const [row] = await sql<{ turn: { outcome: string }; book: { passages: unknown[] } | null }[]>`
        select private.begin_chat_turn(${reader.id}, ${sql.json(claims)}, ${modelId}, null, 1000000, 50) as turn,
               ${withRetrieval
                 ? sql`private.passages_for_turn(${sql.json(claims)}, ${modelId}, ${question(i)},
                                                 ${position.chapter}::integer, ${position.percent}::numeric, 8)`
                 : sql`null::jsonb`} as book`;
      const beginMs = performance.now() - start;
      if (row.turn.outcome !== "ok") throw new Error(`turn: ${row.turn.outcome}`);
      if (store) {
        const spend = spendEntriesJson([{
          userId: reader.id, modelId, kind: "chat", provider: "openai", billedModel: "gpt-4.1-mini-2025-04-14",
          inputTokens: 420, outputTokens: 60,
        }]);
        await sql`
          select private.store_chat_exchange(
                   ${sql.json(claims)}, ${modelId}, ${crypto.randomUUID()}, ${question(i)},
                   ${"An answer in character, about as long as the simulator writes one."}, 480, 5, true,
                   ${"gpt-4.1-mini-2025-04-14"}) as message_order,
                 private.record_spend(${sql.json(spend)}::jsonb) as cost_usd`;
      }
      return { beginMs, ms: performance.now() - start, passages: row.book?.passages.length ?? null };
    };

    // Warm the caches, then interleave the three kinds so drift on a shared machine hits them alike.
    for (let i = 0; i < 50; i++) {
      await turn(plainModel.id, false, i);
      await turn(bookModel.id, true, i);
    }
    // The three kinds take turns, so the machine's drift hits them alike.
    const plainTurn: number[] = [];
    const retrievalTurn: number[] = [];
    const beforeBooks: number[] = [];
    const plainFirst: number[] = [];
    const retrievalFirst: number[] = [];
    const found: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      beforeBooks.push((await turn(plainModel.id, false, i, false)).beginMs);
      const plain = await turn(plainModel.id, true, i);
      plainTurn.push(plain.ms);
      plainFirst.push(plain.beginMs);
      const withBook = await turn(bookModel.id, true, i);
      retrievalTurn.push(withBook.ms);
      retrievalFirst.push(withBook.beginMs);
      found.push(withBook.passages ?? 0);
    }
    const p50 = (values: number[]) => percentile(values, 50);
    const ratio = p50(retrievalTurn) / p50(plainTurn);
    const firstRatio = p50(retrievalFirst) / p50(beforeBooks);
    report.figure(
      `chat turn database time with retrieval, ${BOOKS.toLocaleString("en")} books × ${PASSAGES_PER_BOOK.toLocaleString("en")} passages, p50 (p99)`,
      `${p50(retrievalTurn).toFixed(2)} ms (${percentile(retrievalTurn, 99).toFixed(2)}) vs plain turn ${p50(plainTurn).toFixed(2)} ms: ` +
        `**${ratio.toFixed(2)}x**; the statement before the provider alone ${p50(retrievalFirst).toFixed(2)} vs ` +
        `${p50(beforeBooks).toFixed(2)} ms before books (${firstRatio.toFixed(2)}x)`,
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
      `p50 chat turn database time (both statements): plain ${p50(plainTurn).toFixed(2)} ms, with retrieval ` +
        `${p50(retrievalTurn).toFixed(2)} ms (${ratio.toFixed(2)}x); p99 ${percentile(plainTurn, 99).toFixed(2)} / ` +
        `${percentile(retrievalTurn, 99).toFixed(2)} ms`,
      `p50 statement before the provider: before books ${p50(beforeBooks).toFixed(2)} ms, plain + retrieval call (no text) ` +
        `${p50(plainFirst).toFixed(2)} ms, with retrieval ${p50(retrievalFirst).toFixed(2)} ms (${firstRatio.toFixed(2)}x)`,
      `passages per retrieval turn: p50 ${p50(found)}, min ${Math.min(...found)}`,
      `candidate scan of one turn (a common and a rare word, the 256 passages before chapter 25 of ${CHAPTERS}, position 100):\n${plan}`,
    ];
  } finally {
    await sql.end({ timeout: 5 });
  }
}
