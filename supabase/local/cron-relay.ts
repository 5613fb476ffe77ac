import postgres from "postgres";

/**
 * Stands in for pg_net locally: private.invoke_edge_function announces each call with NOTIFY on
 * `edge_function_invocations`, and this relay makes the HTTP request with the service key.
 * Where pg_cron is not installed it also plays the scheduler, calling the same SQL every minute.
 */
export async function startCronRelay(options: {
  databaseUrl: string;
  functionsBaseUrl: string;
  serviceKey: string;
  scheduleLocally: boolean;
}) {
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });

  async function relay(payload: string) {
    let call: { function: string; body: unknown };
    try {
      call = JSON.parse(payload);
    } catch {
      console.error("cron relay: ignoring a malformed notification");
      return;
    }
    const started = performance.now();
    try {
      const response = await fetch(`${options.functionsBaseUrl}/${call.function}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", apikey: options.serviceKey },
        body: JSON.stringify(call.body ?? {}),
        signal: AbortSignal.timeout(120_000),
      });
      const report = await response.text();
      console.log(`cron -> ${call.function}: ${response.status} in ${Math.round(performance.now() - started)} ms ${report}`);
    } catch (error) {
      console.error(`cron -> ${call.function} failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  const subscription = await sql.listen("edge_function_invocations", (payload) => void relay(payload));

  const timer = options.scheduleLocally
    ? setInterval(() => {
      sql`select private.invoke_edge_function('training-sync')`.catch((error) =>
        console.error(`local schedule failed: ${error.message}`)
      );
    }, 60_000)
    : undefined;

  return {
    async stop() {
      if (timer) clearInterval(timer);
      await subscription.unlisten();
      await sql.end({ timeout: 5 });
    },
  };
}
