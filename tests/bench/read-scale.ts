import postgres from "postgres";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import type { BenchReport } from "./report.ts";
import type { BenchStack } from "./ephemeral-stack.ts";
import { benchAnalyticsViews } from "./analytics-scale.ts";

/**
 * The two list endpoints at scale: 100k models (20% public) and 1M chats, of which one reader has
 * 10,000 exchanges in 2,000 conversations with one model. Each endpoint's latency is reported next
 * to fine-tune-status (one primary-key read through the same pipeline) measured in the same run, and
 * the plans of the underlying queries are checked for index scans.
 */

const MODELS = 100_000;
const CHATS = 1_000_000;

export async function load(sql: postgres.Sql) {
  const started = performance.now();
  const users = await sql<{ id: string }[]>`
    insert into auth.users (email)
    select 'scale-' || n || '-' || gen_random_uuid() || '@example.test' from generate_series(1, 1000) n
    returning id`;
  const reader = users[0].id;
  // Triggers off for the bulk load (superuser, this session only); chat_count is set afterwards.
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by, created_at)
      select 'Persona ' || n, case when n % 3 = 0 then 'author' else 'character' end, 'Persona ' || n,
             'book-' || (n % 5000), n % 5 = 0, 'ready', (${sql.array(users.map((u) => u.id))}::uuid[])[1 + n % 1000],
             now() - make_interval(secs => n)
      from generate_series(1, ${MODELS}) n`;
    const [busy] = await tx<{ id: string }[]>`
      select id from public.fine_tuned_models where is_public order by created_at desc limit 1`;
    // The reader's long history with one popular model: 2,000 conversations of 5 exchanges.
    await tx`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, message_order, user_message, ai_response, created_at)
      select ${busy.id}, ${reader}, c.id, o, 'Question ' || o, 'An answer of a sentence or two, as a persona would give it.',
             now() - make_interval(secs => c.n * 60 - o)
      from (select n, gen_random_uuid() as id from generate_series(1, 2000) n) c, generate_series(1, 5) o`;
    // Everyone else's chats, spread over all models.
    await tx`
      insert into public.fine_tuned_chats (model_id, user_id, conversation_id, message_order, user_message, ai_response, created_at)
      with models as (select array_agg(id) as ids from public.fine_tuned_models)
      select models.ids[1 + n % ${MODELS}], (${sql.array(users.map((u) => u.id))}::uuid[])[2 + n % 999],
             gen_random_uuid(), 1, 'Hello', 'Good day.', now() - make_interval(secs => n)
      from models, generate_series(1, ${CHATS - 10_000}) n`;
    await tx`
      update private.fine_tuned_models m set chat_count = c.count
      from (select model_id, count(*)::int as count from public.fine_tuned_chats group by model_id) c
      where c.model_id = m.id`;
    return busy;
  });
  await sql`vacuum analyze private.fine_tuned_models`;
  await sql`vacuum analyze public.fine_tuned_chats`;
  // Write the load out now: a checkpoint it left due would otherwise run during the measurements.
  await sql`checkpoint`;
  const [busy] = await sql<{ id: string }[]>`
    select id from public.fine_tuned_models where is_public order by created_at desc limit 1`;
  return { reader, busyModel: busy.id, loadSeconds: (performance.now() - started) / 1000 };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function p50(url: string, token: string, requests = 200): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    latencies.push(performance.now() - start);
  }
  return percentile(latencies, 50);
}

/** The plan of a query as the reader, as the endpoint runs it (role and claims set). */
async function planAsReader(sql: postgres.Sql, reader: string, query: string): Promise<string> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
                    set_config('request.jwt.claims', ${JSON.stringify({ sub: reader, role: "authenticated" })}, true)`;
    const rows = await tx.unsafe(`explain (costs off) ${query}`);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

export async function benchReadScale(stack: BenchStack, report: BenchReport) {
  const sql = postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
  try {
    const { reader, busyModel, loadSeconds } = await load(sql);
    const token = await signLocalToken({ sub: reader, role: "authenticated" });
    const base = stack.functionsUrl;
    // Warm up the pool and caches.
    await p50(`${base}/fine-tune-models`, token, 50);
    const baseline = await p50(`${base}/fine-tune-status/${busyModel}`, token);
    const list = await p50(`${base}/fine-tune-models?limit=20`, token);
    const byBook = await p50(`${base}/fine-tune-models?bookId=book-42&type=character&limit=20`, token);
    const conversations = await p50(`${base}/fine-tune-conversations/${busyModel}?limit=20`, token);
    report.figure(
      "lists at 100k models / 1M chats: models, filtered, conversations p50",
      `${list.toFixed(2)} / ${byBook.toFixed(2)} / ${conversations.toFixed(2)} ms (fine-tune-status ${baseline.toFixed(2)})`,
      "p50 ≤ 5 ms",
      Math.max(list, byBook, conversations) <= 5,
    );
    const lines = [
      `loaded ${MODELS.toLocaleString("en")} models and ${CHATS.toLocaleString("en")} chats in ${loadSeconds.toFixed(0)} s`,
      `p50 fine-tune-status (baseline, one primary-key read): ${baseline.toFixed(2)} ms`,
      `p50 fine-tune-models (own + public, newest 20): ${list.toFixed(2)} ms (${(list / baseline).toFixed(2)}x baseline)`,
      `p50 fine-tune-models?bookId&type: ${byBook.toFixed(2)} ms (${(byBook / baseline).toFixed(2)}x baseline)`,
      `p50 fine-tune-conversations (20 of 2,000 conversations, 10,000 exchanges): ${conversations.toFixed(2)} ms (${(conversations / baseline).toFixed(2)}x baseline)`,
    ];
    // The statement fine-tune-models runs (shared/models/list-models.ts), reduced to its shape.
    const listPlan = await planAsReader(sql, reader, `
      select id from (
        (select m.id, m.created_at from public.fine_tuned_models m where m.created_by = '${reader}'
         order by m.created_at desc, m.id desc limit 21)
        union all
        (select m.id, m.created_at from public.fine_tuned_models m where m.is_public and m.created_by <> '${reader}'
         order by m.created_at desc, m.id desc limit 21)
      ) visible order by visible.created_at desc, visible.id desc limit 21`);
    const conversationPlan = await planAsReader(sql, reader, `
      select conversation_id from public.fine_tuned_chats c
      where c.user_id = '${reader}' and c.model_id = '${busyModel}' and c.message_order = 1
      order by c.created_at desc, c.conversation_id desc limit 21`);
    lines.push(`model list plan:\n${indent(listPlan)}`, `conversation page plan:\n${indent(conversationPlan)}`);

    // The admin analytics views on the same data, then the popular listing their refresh feeds.
    lines.push(...await benchAnalyticsViews(sql, report));
    // The refresh just rewrote every model's row: flush that before timing the listing it feeds.
    await sql`checkpoint`;
    const popular = await p50(`${base}/fine-tune-models?sort=popular&limit=20`, token);
    const popularByBook = await p50(`${base}/fine-tune-models?sort=popular&type=character&limit=20`, token);
    report.figure(
      "fine-tune-models?sort=popular at 100k models / 1M chats: all, by type p50",
      `${popular.toFixed(2)} / ${popularByBook.toFixed(2)} ms (fine-tune-status ${baseline.toFixed(2)})`,
      "p50 ≤ 5 ms",
      Math.max(popular, popularByBook) <= 5,
    );
    lines.push(
      `p50 fine-tune-models?sort=popular: ${popular.toFixed(2)} ms (${(popular / baseline).toFixed(2)}x baseline)`,
      `p50 fine-tune-models?sort=popular&type=character: ${popularByBook.toFixed(2)} ms`,
    );
    const popularPlan = await planAsReader(sql, reader, `
      select id from (
        (select m.id, m.recent_chat_count, m.chat_count from private.fine_tuned_models m where m.created_by = '${reader}'
         order by m.recent_chat_count desc, m.chat_count desc, m.id desc limit 21)
        union all
        (select m.id, m.recent_chat_count, m.chat_count from private.fine_tuned_models m where m.is_public and m.created_by <> '${reader}'
         order by m.recent_chat_count desc, m.chat_count desc, m.id desc limit 21)
      ) visible order by visible.recent_chat_count desc, visible.chat_count desc, visible.id desc limit 21`);
    lines.push(`popular list plan:\n${indent(popularPlan)}`);
    return lines;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const indent = (text: string) => text.split("\n").map((line) => `    ${line}`).join("\n");
