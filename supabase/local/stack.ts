/**
 * `npm run dev`: the whole backend on this machine without Docker. A private Postgres (or the one
 * in DATABASE_URL) with the Supabase bootstrap, migrations and seed; every Edge Function on
 * http://127.0.0.1:54321/functions/v1/<name>; the OpenAI simulator unless OPENAI_API_KEY is set;
 * the relay that carries pg_cron's calls to the training sync; with --with-app, the reader app's
 * dev server. Ctrl-C stops all of it.
 */
import { CLOCK_SETTING } from "../../shared/clock.ts";
import { startCronRelay } from "./cron-relay.ts";
import { prepareDatabase } from "./database.ts";
import { LOCAL_JWT_SECRET, LOCAL_SECRET_KEY, LOCAL_WEBHOOK_SECRET, localJwks, signLocalToken } from "./dev-keys.ts";
import { startAppDevServer } from "./app-server.ts";
import { createDevAuth } from "./dev-auth.ts";
import { createDevRest } from "./dev-rest.ts";
import { loadFunctions, serveFunctions } from "./functions-server.ts";
import { startCluster } from "./postgres.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
const setting = (name: string, fallback: string) => Deno.env.get(name) || fallback;

const dataDir = setting("STORYVOICE_DATA_DIR", `${repoRoot}.supabase-local`);
const dbPort = Number(setting("STORYVOICE_DB_PORT", "54322"));
const functionsPort = Number(setting("STORYVOICE_FUNCTIONS_PORT", "54321"));
const simulatorPort = Number(setting("STORYVOICE_SIMULATOR_PORT", "54330"));
const togetherSimulatorPort = Number(setting("STORYVOICE_TOGETHER_SIMULATOR_PORT", "54331"));
const anthropicSimulatorPort = Number(setting("STORYVOICE_ANTHROPIC_SIMULATOR_PORT", "54332"));
const compatibleSimulatorPort = Number(setting("STORYVOICE_COMPATIBLE_SIMULATOR_PORT", "54333"));
// Three minutes: the per-minute sync sees the job running (with its step progress) at least once,
// as a real job's progress is seen; at 30 s it went from queued to done between two syncs.
const jobSeconds = Number(setting("OPENAI_SIMULATOR_JOB_SECONDS", "180"));
// The organisation's active fine-tuning job limit in both simulators (unset: none), as the real APIs have.
const maxActiveJobs = Deno.env.get("OPENAI_SIMULATOR_MAX_ACTIVE_JOBS") ? Number(Deno.env.get("OPENAI_SIMULATOR_MAX_ACTIVE_JOBS")) : null;
// The reader app's dev server, with --with-app (`npm run dev`); the test and bench stacks go without.
const withApp = Deno.args.includes("--with-app");
const appPort = Number(setting("STORYVOICE_APP_PORT", "54323"));

const cleanups: (() => Promise<void> | void)[] = [];
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(String(error));
    }
  }
  Deno.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => void stop(0));

try {
  // 1. The database.
  let databaseUrl = Deno.env.get("DATABASE_URL");
  let created = false;
  if (databaseUrl) {
    console.log("Using the database in DATABASE_URL.");
  } else {
    const cluster = await startCluster(dataDir, dbPort);
    cleanups.push(() => cluster.stop());
    databaseUrl = cluster.url;
    created = cluster.created;
  }
  await prepareDatabase(databaseUrl, { seed: created });

  // 2. The model provider: the real API with a key, the simulator without.
  let simulatorUrl: string | undefined;
  if (!Deno.env.get("OPENAI_API_KEY")) {
    const { createOpenAISimulator } = await import("./openai-simulator/simulator.ts");
    const { serveOpenAISimulator } = await import("./openai-simulator/server.ts");
    const simulator = createOpenAISimulator({
      jobDurationMs: jobSeconds * 1000,
      maxActiveJobs,
      latencyMs: Number(setting("OPENAI_SIMULATOR_LATENCY_MS", "0")),
      streamDelayMs: Number(setting("OPENAI_SIMULATOR_STREAM_DELAY_MS", "0")),
    });
    const served = serveOpenAISimulator({ port: simulatorPort, simulator });
    cleanups.push(() => served.shutdown());
    simulatorUrl = served.url;
    Deno.env.set("OPENAI_API_KEY", "sk-storyvoice-simulator");
    Deno.env.set("OPENAI_BASE_URL", served.url);
  }

  // Speech: the simulator's /v1/audio/speech (playable WAV) unless TTS_BASE_URL names an endpoint.
  let speechSimulated = false;
  if (!Deno.env.get("TTS_BASE_URL") && simulatorUrl) {
    Deno.env.set("TTS_BASE_URL", simulatorUrl);
    Deno.env.set("TTS_API_KEY", "sk-storyvoice-simulator");
    Deno.env.set("TTS_MODEL", "storyvoice-sim-tts");
    speechSimulated = true;
  }

  // Together AI likewise: its simulator on its own port unless TOGETHER_API_KEY is set.
  let togetherSimulatorUrl: string | undefined;
  if (!Deno.env.get("TOGETHER_API_KEY")) {
    const { createTogetherSimulator } = await import("./together-simulator/simulator.ts");
    const { serveTogetherSimulator } = await import("./together-simulator/server.ts");
    const simulator = createTogetherSimulator({ jobDurationMs: jobSeconds * 1000, maxActiveJobs });
    const served = serveTogetherSimulator({ port: togetherSimulatorPort, simulator });
    cleanups.push(() => served.shutdown());
    togetherSimulatorUrl = served.url;
    Deno.env.set("TOGETHER_API_KEY", "together-storyvoice-simulator");
    Deno.env.set("TOGETHER_BASE_URL", served.url);
  }

  // The Anthropic simulator likewise, for CHAT_PROVIDER=anthropic without a key.
  let anthropicSimulatorUrl: string | undefined;
  if (!Deno.env.get("ANTHROPIC_API_KEY")) {
    const { createAnthropicSimulator } = await import("./anthropic-simulator/simulator.ts");
    const { serveAnthropicSimulator } = await import("./anthropic-simulator/server.ts");
    const served = serveAnthropicSimulator({ port: anthropicSimulatorPort, simulator: createAnthropicSimulator() });
    cleanups.push(() => served.shutdown());
    anthropicSimulatorUrl = served.url;
    Deno.env.set("ANTHROPIC_API_KEY", "sk-ant-storyvoice-simulator");
    Deno.env.set("ANTHROPIC_BASE_URL", served.url);
  }

  // A Cohere-like OpenAI-compatible endpoint, for CHAT_PROVIDER=compatible without COMPATIBLE_BASE_URL.
  let compatibleSimulatorUrl: string | undefined;
  if (Deno.env.get("CHAT_PROVIDER") === "compatible" && !Deno.env.get("COMPATIBLE_BASE_URL")) {
    const { createCompatibleSimulator } = await import("./compatible-simulator/simulator.ts");
    const { serveCompatibleSimulator } = await import("./compatible-simulator/server.ts");
    const { SIM_COHERE_MODELS } = await import("./compatible-simulator/models.ts");
    const served = serveCompatibleSimulator(compatibleSimulatorPort, createCompatibleSimulator());
    cleanups.push(() => served.shutdown());
    compatibleSimulatorUrl = served.url;
    Deno.env.set("COMPATIBLE_BASE_URL", served.url);
    Deno.env.set("COMPATIBLE_API_KEY", "cohere-storyvoice-simulator");
    if (!Deno.env.get("COMPATIBLE_MODEL")) Deno.env.set("COMPATIBLE_MODEL", SIM_COHERE_MODELS[0]);
  }

  // 3. The functions, configured as Supabase configures them.
  Deno.env.set("SUPABASE_DB_URL", databaseUrl);
  Deno.env.set("SUPABASE_URL", `http://127.0.0.1:${functionsPort}`);
  Deno.env.set("SUPABASE_JWT_SECRET", LOCAL_JWT_SECRET);
  Deno.env.set("SUPABASE_JWKS", localJwks());
  Deno.env.set("SUPABASE_SECRET_KEY", LOCAL_SECRET_KEY);
  if (!Deno.env.get("OPENAI_WEBHOOK_SECRET")) Deno.env.set("OPENAI_WEBHOOK_SECRET", LOCAL_WEBHOOK_SECRET);
  const functions = await loadFunctions();
  // Dev only: what supabase-js needs of Auth and the Data API, where neither runs locally.
  const devSql = (await import("postgres")).default(databaseUrl, { max: 4, onnotice: () => {} });
  cleanups.push(() => devSql.end({ timeout: 5 }));
  const server = serveFunctions(functions, functionsPort, [createDevAuth(devSql), createDevRest(devSql)]);
  cleanups.push(() => server.shutdown());
  const { closeDatabase } = await import("../../shared/db/client.ts");
  cleanups.push(() => closeDatabase());

  // 4. The schedule: pg_cron's call reaches the training sync through the relay.
  const postgres = (await import("postgres")).default;
  const probe = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [{ has_cron }] = await probe`select to_regnamespace('cron') is not null as has_cron`;
  await probe.end();
  const relay = await startCronRelay({
    databaseUrl,
    functionsBaseUrl: server.baseUrl,
    serviceKey: LOCAL_SECRET_KEY,
    scheduleLocally: !has_cron,
  });
  cleanups.push(() => relay.stop());

  // 5. Configured models near their shutdown date or gone from the provider's list, loudly, before
  // anything is sent to them: the model lists are read first, as the sync would a minute later.
  const { refreshCatalogue } = await import("../../shared/catalogue/refresh.ts");
  await refreshCatalogue();
  const { reportConfiguredModels } = await import("../../shared/catalogue/model-choice.ts");
  const dying = await reportConfiguredModels();
  const dyingLines = dying.map((warning) =>
    `  !!! ${warning.setting}=${warning.model} (${warning.provider}) ` +
    (warning.unlisted
      ? `NOT IN THE PROVIDER'S MODEL LIST since ${warning.shutdownDate}`
      : `${warning.daysLeft <= 0 ? "SHUT DOWN on" : "shuts down on"} ${warning.shutdownDate}`) +
    `${warning.daysLeft > 0 ? ` (in ${warning.daysLeft} days)` : ""}` +
    `${warning.replacement ? `: ${warning.replacement} answers instead` : ""}`
  );

  // A training provider whose fine-tunes nothing could serve (Together without a way to serve its base).
  const { trainingServingWarnings } = await import("../../shared/providers/registry.ts");
  const unservable = trainingServingWarnings().map((warning) => `  !!! ${warning}`);
  // A training provider that refused this account, remembered (new models skip it), loudly with what to do.
  const { trainingNotice } = await import("../../shared/lifecycle/training-access.ts");
  const { trainingProviderOrder } = await import("../../shared/providers/training-order.ts");
  const notice = await trainingNotice();
  const trainingOrder = trainingProviderOrder();
  const accessLines = notice
    ? [`  !!! ${notice.reason}`, `  !!! ${notice.advice} (asked again after ${notice.recheckAfter.slice(0, 10)})`]
    : !simulatorUrl && trainingOrder.length === 1 && trainingOrder[0] === "openai"
    ? [
      "  !!! OpenAI's self-serve fine-tuning is closed to organisations that have not used it (since 2026-05-07) and to",
      "  !!! everyone on 2027-01-06: if yours is refused, new models answer in persona mode. To fine-tune elsewhere,",
      "  !!! set TOGETHER_API_KEY and TRAINING_PROVIDERS=openai,together.",
    ]
    : [];

  // A pinned day (the test stacks) is said aloud: the stack then ignores the calendar for model dates.
  const pinned = Deno.env.get(CLOCK_SETTING);
  const pinnedLine = pinned ? `\n  Clock:       model dates judged as of ${pinned} (${CLOCK_SETTING})` : "";

  const anonKey = await signLocalToken({ role: "anon" }, "10y");

  // 5. The reader app, pointed at this stack.
  let appUrl: string | undefined;
  if (withApp) {
    const app = await startAppDevServer({
      port: appPort,
      supabaseUrl: `http://127.0.0.1:${functionsPort}`,
      anonKey,
    });
    cleanups.push(() => app.stop());
    appUrl = app.url;
  }
  console.log(`
Storyvoice local stack is ready.

  Reader app:  ${appUrl ?? "not started (npm run dev starts it)"}
  Auth:        http://127.0.0.1:${functionsPort}/auth/v1   (dev only: email + password sign-up and sign-in)
  Functions:   ${server.baseUrl}/<name>   (${[...functions.keys()].sort().join(", ")})
  Database:    ${databaseUrl}
  OpenAI:      ${simulatorUrl ? `SIMULATOR at ${simulatorUrl} (OPENAI_API_KEY is not set: no real API calls)` : "the real API (OPENAI_API_KEY is set)"}
  Together AI: ${togetherSimulatorUrl ? `SIMULATOR at ${togetherSimulatorUrl} (TOGETHER_API_KEY is not set: no real API calls)` : "the real API (TOGETHER_API_KEY is set)"}
  Training:    new models train at ${trainingOrder.join(", then ")} (TRAINING_PROVIDERS / TRAINING_PROVIDER)${accessLines.length ? `\n${accessLines.join("\n")}` : ""}
  Anthropic:   ${anthropicSimulatorUrl ? `SIMULATOR at ${anthropicSimulatorUrl} (ANTHROPIC_API_KEY is not set)` : "the real API (ANTHROPIC_API_KEY is set)"}
  Speech:      ${speechSimulated ? `SIMULATOR at ${simulatorUrl} (TTS_BASE_URL is not set: tones whose length follows the text)` : Deno.env.get("TTS_BASE_URL") ? `${Deno.env.get("TTS_BASE_URL")} (TTS_BASE_URL)` : "off (set TTS_BASE_URL and TTS_MODEL)"}
  Compatible:  ${compatibleSimulatorUrl ? `SIMULATOR (Cohere-like) at ${compatibleSimulatorUrl} (CHAT_PROVIDER=compatible, COMPATIBLE_BASE_URL is not set: no real API calls)` : Deno.env.get("COMPATIBLE_BASE_URL") ? `${Deno.env.get("COMPATIBLE_BASE_URL")} (COMPATIBLE_BASE_URL)` : "off (CHAT_PROVIDER=compatible and COMPATIBLE_BASE_URL)"}
  Chat:        ${Deno.env.get("CHAT_PROVIDER") || "openai"} (CHAT_PROVIDER)${dyingLines.length ? `\n  Models near shutdown or gone:\n${dyingLines.join("\n")}` : ""}${unservable.length ? `\n  Fine-tunes that could never answer (such runs are not started; docs/providers.md):\n${unservable.join("\n")}` : ""}
  Anon key:    ${anonKey}
  Schedule:    training-sync every minute (${has_cron ? "pg_cron" : "local timer"} -> relay)${pinnedLine}

  A user token:      npm run -s token -- alice@example.com
  The service key:   npm run -s token -- --service-role
  Try:               curl -H "Authorization: Bearer $(npm run -s token -- alice@example.com)" ${server.baseUrl}/fine-tune-models

Ctrl-C stops everything.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
