import type postgres from "postgres";
import type { BenchReport } from "./report.ts";

/**
 * The admin analytics views and `sort=popular` at the read-scale load (100k models, 1M chats),
 * with a spend ledger of 30 days for 1,000 users and a training run per model: p50 of each view
 * as an admin queries it in the SQL editor, and of the popularity refresh.
 */

const VIEWS = [
  ["popular_models", "select * from analytics.popular_models order by recent_chat_count desc, chat_count desc, model_id desc limit 20"],
  ["daily_usage", "select * from analytics.daily_usage"],
  ["spend_per_user", "select * from analytics.spend_per_user order by spend_30d_usd desc limit 20"],
  ["spend_per_model", "select * from analytics.spend_per_model order by spend_30d_usd desc limit 20"],
  ["spend_per_provider", "select * from analytics.spend_per_provider"],
  ["training_outcomes", "select * from analytics.training_outcomes"],
  ["training_queue", "select * from analytics.training_queue"],
] as const;

/** A ledger as 30 days of 1,000 users chatting with a few personas each, and one run per model. */
export async function loadAnalyticsData(sql: postgres.Sql): Promise<number> {
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into private.spend_ledger (day, user_id, model_id, kind, provider, billed_model, requests, input_tokens, output_tokens, cost_usd)
      select (now() at time zone 'utc')::date - d, u.id, m.id, 'chat', 'openai', 'gpt-6-luna', 5, 5000, 1500, 0.021
      from (select id, row_number() over () as n from auth.users) u
      cross join generate_series(0, 29) d
      cross join lateral (select id from private.fine_tuned_models where created_by = u.id order by id limit 3) m
      on conflict do nothing`;
    await tx`
      insert into public.training_runs (model_id, provider, base_model, status, provider_job_id, trained_tokens, created_at, completed_at)
      select m.id, case when n % 4 = 0 then 'together' else 'openai' end, 'gpt-4.1-mini-2025-04-14',
             (array['completed', 'completed', 'failed', 'unavailable', 'training', 'pending'])[1 + n % 6],
             case when n % 6 = 5 then null else 'ftjob-' || n end, 20000,
             m.created_at, case when n % 6 < 2 then m.created_at + make_interval(secs => 600 + n % 3600) end
      from (select id, created_at, row_number() over () as n from private.fine_tuned_models) m`;
  });
  await sql`vacuum analyze private.spend_ledger`;
  await sql`vacuum analyze public.training_runs`;
  return (performance.now() - started) / 1000;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function p50Of(sql: postgres.Sql, query: string, runs: number): Promise<number> {
  await sql.unsafe(query); // warm
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await sql.unsafe(query);
    latencies.push(performance.now() - start);
  }
  return percentile(latencies, 50);
}

/** Times each view (as the service role, as the admin endpoint reads them) and the refresh. */
export async function benchAnalyticsViews(sql: postgres.Sql, report: BenchReport, runs = 15): Promise<string[]> {
  const loadSeconds = await loadAnalyticsData(sql);
  const refreshStart = performance.now();
  const [{ changed }] = await sql<{ changed: number }[]>`select private.refresh_model_popularity() as changed`;
  const refreshMs = performance.now() - refreshStart;
  await sql`vacuum analyze private.fine_tuned_models`;
  const lines = [
    `loaded a 30-day ledger for 1,000 users and one training run per model in ${loadSeconds.toFixed(0)} s`,
    `private.refresh_model_popularity (hourly): ${refreshMs.toFixed(0)} ms, ${changed.toLocaleString("en")} models changed`,
  ];
  const results: string[] = [];
  for (const [name, query] of VIEWS) {
    const ms = await p50Of(sql, query, runs);
    results.push(`${name} ${ms.toFixed(1)}`);
    lines.push(`p50 analytics.${name}: ${ms.toFixed(1)} ms`);
  }
  report.figure("analytics views at 100k models / 1M chats, p50 ms", results.join(" · "), "–", null);
  return lines;
}

/**
 * The statement `GET /fine-tune-models?sort=popular` runs (shared/models/list-models.ts, reduced to
 * its shape), as the reader, at the database alone: p50 in ms. The HTTP figure is in read-scale.ts.
 */
export async function popularListingP50(sql: postgres.Sql, reader: string, runs = 50): Promise<number> {
  const query = `
    select id from (
      (select p.id, p.recent_chat_count, p.chat_count, row_to_json(m) as model
       from private.fine_tuned_models p join public.fine_tuned_models m on m.id = p.id
       where p.created_by = '${reader}' order by p.recent_chat_count desc, p.chat_count desc, p.id desc limit 21)
      union all
      (select p.id, p.recent_chat_count, p.chat_count, row_to_json(m) as model
       from private.fine_tuned_models p join public.fine_tuned_models m on m.id = p.id
       where p.is_public and p.created_by <> '${reader}' order by p.recent_chat_count desc, p.chat_count desc, p.id desc limit 21)
    ) visible order by visible.recent_chat_count desc, visible.chat_count desc, visible.id desc limit 21`;
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
                    set_config('request.jwt.claims', ${JSON.stringify({ sub: reader, role: "authenticated" })}, true)`;
    return await p50Of(tx as unknown as postgres.Sql, query, runs);
  });
}
