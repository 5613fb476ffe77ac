/**
 * `npm run bench:soak -- --minutes 10 --readers 16`: readers chat without pause with a running
 * `npm run dev` stack (loopback only) and, each minute, the stack process's RSS and the chat p50/p99
 * are printed. Passes when memory stays flat after the first (warm-up) minute, within 25%, and
 * every minute's p99 stays within 2x of the first minute's. See docs/benchmarks.md.
 */
import postgres from "postgres";
import { z } from "zod";
import { signLocalToken } from "../../supabase/local/dev-keys.ts";
import { pidListeningOn, residentMb } from "./process-memory.ts";
import { percentile } from "./report.ts";

const MEMORY_SPREAD_GOAL = 0.25;
const P99_RATIO_GOAL = 2;
// A reader continues one conversation for this many turns, then starts another, as a reader would.
const TURNS_PER_CONVERSATION = 20;
const BENCH_BOOK = "stack-soak";

const options = z.object({
  minutes: z.coerce.number().positive().max(60).default(10),
  readers: z.coerce.number().int().min(1).max(64).default(16),
  // Seconds per reported interval: 60 makes the lines minutes; shorter for a quick look.
  interval: z.coerce.number().int().min(5).max(600).default(60),
  pid: z.coerce.number().int().positive().optional(),
}).parse(Object.fromEntries(
  Deno.args.flatMap((arg, index, args) => arg.startsWith("--") ? [[arg.slice(2), args[index + 1]]] : []),
));

const setting = (name: string, fallback: string) => Deno.env.get(name) || fallback;
const functionsPort = Number(setting("STORYVOICE_FUNCTIONS_PORT", "54321"));
const functionsUrl = `http://127.0.0.1:${functionsPort}/functions/v1`;
const databaseUrl = Deno.env.get("DATABASE_URL") ??
  `postgresql://postgres:postgres@127.0.0.1:${setting("STORYVOICE_DB_PORT", "54322")}/postgres`;
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(databaseUrl).hostname)) {
  throw new Error("stack-soak runs against a local stack only: DATABASE_URL must be on loopback.");
}

const pid = options.pid ?? await pidListeningOn(functionsPort);
if (!pid) throw new Error(`No process of yours listens on port ${functionsPort}: start \`npm run dev\` (or pass --pid).`);

interface Interval {
  latencies: number[];
  failures: number;
  rssMb: number | null;
}

const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });

/** One user and one public persona per reader, removed again at the end. */
async function arrange(readers: number) {
  const users = await sql<{ id: string }[]>`
    insert into auth.users (email)
    select 'stack-soak-' || gen_random_uuid() || '@example.test' from generate_series(1, ${readers})
    returning id`;
  const models = await sql<{ id: string }[]>`
    insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by, style_description)
    select 'Soak persona ' || n, 'author', 'Soak persona ' || n, ${BENCH_BOOK}, true, 'ready', (${sql.array(users.map((u) => u.id))}::uuid[])[n],
           'You are Soak Persona, an author. Stay in character.'
    from generate_series(1, ${readers}) n
    returning id`;
  const tokens = await Promise.all(users.map((user) => signLocalToken({ sub: user.id, role: "authenticated" }, "2h")));
  return { userIds: users.map((user) => user.id), tokens, models: models.map((model) => model.id) };
}

async function tidy(userIds: string[]) {
  await sql`delete from private.fine_tuned_models where book_id = ${BENCH_BOOK}`;
  await sql`delete from auth.users where id = any(${sql.array(userIds)}::uuid[])`;
}

/** One chat turn (plain or streamed, read to its end); the conversation it belongs to. */
async function chatTurn(token: string, model: string, stream: boolean, conversationId?: string) {
  const response = await fetch(`${functionsUrl}/fine-tune-chat/${model}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ message: "Where did the idea for the second chapter come from?", stream, conversationId }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status === 429) throw new Error(`429 from the chat: ${text} (start the stack with DAILY_CHAT_QUOTA=100000000)`);
  if (!response.ok) return null;
  return text.match(/"conversationId":"([0-9a-f-]{36})"/)?.[1] ?? null;
}

const { userIds, tokens, models } = await arrange(options.readers);
const stop = () => tidy(userIds).finally(() => sql.end()).then(() => Deno.exit(130));
Deno.addSignalListener("SIGINT", stop);

try {
  const startRss = await residentMb(pid);
  console.log(`stack process ${pid}: ${startRss?.toFixed(0)} MB before; ${options.readers} readers for ${options.minutes} min`);
  const intervals: Interval[] = [];
  const intervalMs = options.interval * 1000;
  const started = performance.now();
  const deadline = started + options.minutes * 60_000;
  const lastIndex = Math.ceil((deadline - started) / intervalMs) - 1;
  // Answers that end after the deadline (at most one per reader) count in the last interval.
  const bucket = (at: number) =>
    (intervals[Math.min(lastIndex, Math.floor((at - started) / intervalMs))] ??= { latencies: [], failures: 0, rssMb: null });

  // RSS at the end of each interval, and a line as soon as it is known (the last one once every reader is done).
  const sampler = setInterval(async () => {
    const index = Math.round((performance.now() - started) / intervalMs) - 1;
    if (index >= lastIndex) return;
    const interval = intervals[index] ??= { latencies: [], failures: 0, rssMb: null };
    interval.rssMb = await residentMb(pid);
    console.log(line(index, interval));
  }, intervalMs);

  let fatal: unknown = null;
  await Promise.all(models.map(async (model, reader) => {
    let conversationId: string | undefined;
    for (let turn = 0; performance.now() < deadline && !fatal; turn++) {
      if (turn % TURNS_PER_CONVERSATION === 0) conversationId = undefined;
      const begun = performance.now();
      // Counted in the interval it ends in, so each printed line holds every answer it covers.
      try {
        conversationId = await chatTurn(tokens[reader], model, turn % 2 === 1, conversationId) ?? undefined;
        if (conversationId) bucket(performance.now()).latencies.push(performance.now() - begun);
        else bucket(performance.now()).failures++;
      } catch (error) {
        if (String(error).includes("429")) fatal = error;
        bucket(performance.now()).failures++;
      }
    }
  }));
  clearInterval(sampler);
  if (fatal) throw fatal;
  const last = intervals[lastIndex] ??= { latencies: [], failures: 0, rssMb: null };
  last.rssMb = await residentMb(pid);
  console.log(line(lastIndex, last));
  summarise(intervals.filter((interval) => interval.rssMb !== null));
} finally {
  await tidy(userIds);
  await sql.end();
}

function line(index: number, interval: Interval) {
  const { latencies } = interval;
  const seconds = (index + 1) * options.interval;
  const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  return `${elapsed.padStart(5)} elapsed: RSS ${interval.rssMb?.toFixed(0) ?? "?"} MB, ` +
    `${latencies.length} chats (${(latencies.length / options.interval).toFixed(0)}/s), ${interval.failures} failed, ` +
    `p50 ${percentile(latencies, 50)?.toFixed(1)} ms, p99 ${percentile(latencies, 99)?.toFixed(1)} ms`;
}

/** The verdict: RSS spread after the first interval, and the worst p99 against the first one's. */
function summarise(measured: Interval[]) {
  if (measured.length < 2) {
    console.log("Too short for a verdict: run at least two intervals.");
    return;
  }
  const afterWarmUp = measured.map((interval) => interval.rssMb!);
  const spread = Math.max(...afterWarmUp) / Math.min(...afterWarmUp) - 1;
  const firstP99 = percentile(measured[0].latencies, 99);
  const worstRatio = Math.max(...measured.slice(1).map((interval) => percentile(interval.latencies, 99) / firstP99));
  const failures = measured.reduce((sum, interval) => sum + interval.failures, 0);
  console.log(`\n| figure | result | goal | met |\n|---|---|---|---|`);
  console.log(`| RSS from the end of the warm-up interval on | ${Math.min(...afterWarmUp).toFixed(0)}-${Math.max(...afterWarmUp).toFixed(0)} MB (spread ${(spread * 100).toFixed(0)}%) | ≤ ${MEMORY_SPREAD_GOAL * 100}% | ${spread <= MEMORY_SPREAD_GOAL ? "yes" : "**no**"} |`);
  console.log(`| worst p99 vs the first interval's | ${worstRatio.toFixed(2)}x (first ${firstP99.toFixed(1)} ms) | ≤ ${P99_RATIO_GOAL}x | ${worstRatio <= P99_RATIO_GOAL ? "yes" : "**no**"} |`);
  console.log(`| failed chats | ${failures} | 0 | ${failures === 0 ? "yes" : "**no**"} |`);
}
