import postgres from "postgres";

/**
 * Hot-model contention of the chat_count trigger: 64 writers storing chats concurrently, all on ONE
 * public model vs each on its own model. Each writer runs what the chat endpoint runs to store an
 * exchange (begin; role + claims; insert; commit). Measured twice: with the trigger as designed
 * (deferred: it runs at commit, and a commit that finds the model row locked counts its chat as a
 * tally instead of waiting) and forced immediate (it runs at the insert, so a writer that takes
 * the row keeps it to the end of its transaction), to show what the design buys.
 */

const WRITERS = 64;

interface Round {
  transactions: number;
  seconds: number;
}

async function arrange(sql: postgres.Sql) {
  const users = await sql<{ id: string }[]>`
    insert into auth.users (email)
    select 'bench-' || gen_random_uuid() || '@example.test' from generate_series(1, ${WRITERS})
    returning id`;
  const models = await sql<{ id: string }[]>`
    insert into private.fine_tuned_models (name, type, entity_name, book_id, is_public, status, created_by)
    select 'Bench persona ' || n, 'author', 'Bench persona ' || n, 'bench-book', true, 'ready', ${users[0].id}
    from generate_series(1, ${WRITERS}) n
    returning id`;
  return { users: users.map((u) => u.id), models: models.map((m) => m.id) };
}

async function runRound(
  sql: postgres.Sql,
  ids: { users: string[]; models: string[] },
  hot: boolean,
  immediate: boolean,
  seconds: number,
): Promise<Round> {
  const stopAt = performance.now() + seconds * 1000;
  let transactions = 0;
  await Promise.all(ids.users.map(async (userId, writer) => {
    const modelId = hot ? ids.models[0] : ids.models[writer];
    const claims = JSON.stringify({ sub: userId, role: "authenticated" });
    while (performance.now() < stopAt) {
      await sql.begin(async (tx) => {
        if (immediate) await tx`set constraints all immediate`;
        // As chat stores an answered exchange: the service path, for the user of the claims.
        await tx`
          select private.store_chat_exchange(${claims}::jsonb, ${modelId}, gen_random_uuid(), 'Hello',
                                             'Good day to you.', 42, null, false, null)`;
      });
      transactions++;
    }
  }));
  return { transactions, seconds };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the comparison; returns the lines of the report. */
export async function benchChatStatsContention(databaseUrl: string, options = { rounds: 3, seconds: 3 }) {
  const sql = postgres(databaseUrl, { max: WRITERS, onnotice: () => {} });
  try {
    const ids = await arrange(sql);
    const lines: string[] = [];
    for (const immediate of [false, true]) {
      const hot: number[] = [];
      const spread: number[] = [];
      // Alternate the scenarios so drift on a shared machine hits both alike.
      for (let round = 0; round < options.rounds; round++) {
        const a = await runRound(sql, ids, true, immediate, options.seconds);
        hot.push(a.transactions / a.seconds);
        const b = await runRound(sql, ids, false, immediate, options.seconds);
        spread.push(b.transactions / b.seconds);
      }
      const ratio = median(hot) / median(spread);
      lines.push(
        `chat_count trigger ${immediate ? "forced immediate" : "deferred (as designed)"}: ` +
          `one model ${median(hot).toFixed(0)} tx/s, 64 models ${median(spread).toFixed(0)} tx/s, ` +
          `ratio ${(ratio * 100).toFixed(1)}%`,
      );
    }
    const [check] = await sql<{ ok: boolean }[]>`
      select bool_and(m.chat_count = (select count(*) from public.fine_tuned_chats c where c.model_id = m.id)) as ok
      from public.fine_tuned_models m where m.book_id = 'bench-book'`;
    lines.push(`chat_count equals the number of chats on every bench model: ${check.ok}`);
    return lines;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
