import { z } from "zod";

/**
 * Model snapshots OpenAI still fine-tunes. Their dates live in the model catalogue, which refuses
 * a job on a base that shuts down within 30 days (the persona then stays in persona mode).
 */
export const DEFAULT_FINE_TUNE_BASE_MODEL = "gpt-4.1-mini-2025-04-14";
const DEFAULT_ALLOWED_BASE_MODELS = [
  "gpt-4.1-mini-2025-04-14",
  "gpt-4.1-2025-04-14",
  "gpt-4o-mini-2024-07-18",
  "gpt-4o-2024-08-06",
];

/**
 * Together AI's LoRA base model for new models when the request names none, by how the result can
 * be served: serverless LoRA lists Llama 3.1 8B Instruct Reference; a dedicated endpoint cannot
 * host a `-Reference` base, so with TOGETHER_ENDPOINT_ID the default is Qwen3 8B, the base of
 * Together's own fine-tune-and-deploy quickstart (docs.together.ai/docs/fine-tuning/quickstart).
 */
export const DEFAULT_TOGETHER_BASE_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
export const DEFAULT_TOGETHER_DEDICATED_BASE_MODEL = "Qwen/Qwen3-8B";
const DEFAULT_TOGETHER_ALLOWED_BASE_MODELS = [
  DEFAULT_TOGETHER_BASE_MODEL,
  "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
  "Qwen/Qwen2.5-7B-Instruct",
  DEFAULT_TOGETHER_DEDICATED_BASE_MODEL,
];
/**
 * The bases Together serves LoRA adapters of serverless (per token, no endpoint), as listed on
 * docs.together.ai/docs/adapter-upload ("Supported base models", read 2026-12-06). Its newer
 * deployment guide (docs/fine-tuning/deployment) names only dedicated endpoints: set
 * TOGETHER_SERVERLESS_LORA_BASE_MODELS to what the account's model list really offers.
 */
export const DEFAULT_TOGETHER_SERVERLESS_LORA_BASE_MODELS = [
  "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
  "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
  "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
  "Qwen/Qwen2.5-72B-Instruct",
  "Qwen/Qwen3-235B-A22B-Instruct-2507-tput",
];
/**
 * Voices an OpenAI-compatible `/v1/audio/speech` endpoint offers when TTS_VOICES is not set
 * (OpenAI's list; AssemblyAI and Together name theirs differently: set TTS_VOICES for them).
 */
export const DEFAULT_TTS_VOICES = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"];

/**
 * Chat and teacher models per chat provider when CHAT_MODEL / TEACHER_MODEL are not set: each names
 * its family (`claude-sonnet-*`, `gpt-*-luna`), whose newest live member in the provider's model
 * list is used (shared/llm/model-family.ts). Each must be in its SDK's model type (scripts/checks).
 */
export const DEFAULT_CHAT_MODELS = { openai: "gpt-6-luna", anthropic: "claude-sonnet-5-5" } as const;
export const DEFAULT_TEACHER_MODELS = { openai: "gpt-6-luna", anthropic: "claude-sonnet-5-5" } as const;

const optionalText = z.string().trim().min(1).optional();
const commaList = z.string().transform((value) =>
  value.split(",").map((item) => item.trim()).filter((item) => item.length > 0)
);
const numberList = (item: z.ZodNumber) =>
  commaList.pipe(z.array(z.string().transform(Number).pipe(item)));
const usdList = numberList(z.number().positive());
const percentList = numberList(z.number().positive().max(1000));
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const json = <T extends z.ZodType>(shape: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be JSON" });
      return z.NEVER;
    }
  }).pipe(shape);

const envSchema = z.object({
  /** Postgres connection string; Supabase sets it for every Edge Function. */
  SUPABASE_DB_URL: z.string().url(),
  SUPABASE_URL: optionalText,
  /** Legacy / local HS256 secret: verifies tokens without a `kid` and legacy service-role JWTs. */
  SUPABASE_JWT_SECRET: optionalText,
  /** Inline JWK set (`{ keys: [...] }`) or the project's JWKS endpoint, for signing-key tokens. */
  SUPABASE_JWKS: json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) })).optional(),
  SUPABASE_JWKS_URL: optionalText,
  /** New API keys: JSON object of named `sb_secret_...` keys, or a single key. */
  SUPABASE_SECRET_KEYS: json(z.record(z.string(), z.string().min(1))).optional(),
  SUPABASE_SECRET_KEY: optionalText,
  /** The service-role key Supabase sets for functions; accepted as-is by service endpoints. */
  SUPABASE_SERVICE_ROLE_KEY: optionalText,

  /** Unset: fine-tuning is unavailable and every model runs in persona mode. */
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  OPENAI_ORGANIZATION: optionalText,
  OPENAI_WEBHOOK_SECRET: optionalText,
  /** "false" skips fine-tuning (e.g. an organisation OpenAI no longer lets fine-tune): persona mode only. */
  FINE_TUNING_ENABLED: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
  /** Per-attempt timeout for provider calls: well under the Edge Function's 150 s limit. */
  OPENAI_TIMEOUT_MS: positiveInt(30_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),

  /** The provider new models train with; a model keeps the provider of its run. */
  TRAINING_PROVIDER: z.enum(["openai", "together"]).default("openai"),
  /** Unset: Together AI is not available (its runs go to persona mode, its fine-tunes to the fallback). */
  TOGETHER_API_KEY: optionalText,
  TOGETHER_BASE_URL: z.string().trim().url().default("https://api.together.xyz/v1"),
  /**
   * Removed: Together routes a dedicated endpoint's adapters on TOGETHER_BASE_URL by model name.
   * Refused when set, so a deployment that relied on it learns at start, not from a 404.
   */
  TOGETHER_CHAT_ENDPOINT: z.string().optional().refine((value) => value === undefined, {
    message: "was removed: set TOGETHER_ENDPOINT_ID to the id of a LoRA-enabled dedicated endpoint (docs/providers.md)",
  }),
  /**
   * The id (`endpoint-...`) of a LoRA-enabled dedicated endpoint that hosts the persona adapters:
   * the sync attaches each completed fine-tune to it, chat names the adapter on TOGETHER_BASE_URL.
   */
  TOGETHER_ENDPOINT_ID: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/).optional(),
  /** Bases whose adapters Together serves serverless; "none" for an account without serverless LoRA. */
  TOGETHER_SERVERLESS_LORA_BASE_MODELS: commaList.transform((list) => list.filter((item) => item !== "none"))
    .default(DEFAULT_TOGETHER_SERVERLESS_LORA_BASE_MODELS),
  /** Default: per how the result is served (DEFAULT_TOGETHER_BASE_MODEL or the dedicated one). */
  TOGETHER_FINE_TUNE_BASE_MODEL: optionalText,
  TOGETHER_ALLOWED_BASE_MODELS: commaList.default(DEFAULT_TOGETHER_ALLOWED_BASE_MODELS),
  TOGETHER_TIMEOUT_MS: positiveInt(30_000),

  FINE_TUNE_BASE_MODEL: z.string().trim().min(1).default(DEFAULT_FINE_TUNE_BASE_MODEL),
  ALLOWED_BASE_MODELS: commaList.default(DEFAULT_ALLOWED_BASE_MODELS),
  /** Who serves the persona fallback and the teacher (`compatible`: any OpenAI-compatible endpoint). */
  CHAT_PROVIDER: z.enum(["openai", "anthropic", "compatible"]).default("openai"),
  /** The base model behind the persona fallback (default per CHAT_PROVIDER). */
  CHAT_MODEL: optionalText,
  /** Writes the training conversations and style guides (default per CHAT_PROVIDER). */
  TEACHER_MODEL: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText,
  /**
   * An OpenAI-compatible Chat Completions endpoint (Cohere's `https://api.cohere.ai/compatibility/v1`,
   * OpenRouter, vLLM, Ollama): required with CHAT_PROVIDER=compatible. Its key is optional (a
   * self-hosted server may take none); its model is the default of CHAT_MODEL and TEACHER_MODEL.
   */
  COMPATIBLE_BASE_URL: z.string().trim().url().optional(),
  COMPATIBLE_API_KEY: optionalText,
  COMPATIBLE_MODEL: optionalText,
  /**
   * Training providers in the order a new model tries them: when one refuses to start the job,
   * the next is asked before the model falls back to persona mode (default: the one provider).
   */
  TRAINING_PROVIDERS: commaList.optional(),
  /**
   * Days a provider's refusal to fine-tune for this account (OpenAI's 403 for an organisation
   * without access) is trusted before a new model asks the provider again.
   */
  TRAINING_REFUSAL_RECHECK_DAYS: positiveInt(7),
  /**
   * Off when unset. Days before its fine-tune's shutdown date (1-30) a persona is retrained, from
   * its stored examples, on the first configured training provider other than the dying one; chat
   * stays on the old fine-tune until the new one is ready.
   */
  RETRAIN_BEFORE_SHUTDOWN_DAYS: z.coerce.number().int().min(1).max(30).optional(),

  /**
   * Speech (replies read aloud) through any OpenAI-compatible `/v1/audio/speech` endpoint; off
   * unless TTS_BASE_URL and TTS_MODEL are both set.
   */
  TTS_BASE_URL: z.string().trim().url().optional(),
  TTS_API_KEY: optionalText,
  TTS_MODEL: optionalText,
  /** Voice names a persona may have (the endpoint's list). */
  TTS_VOICES: commaList.pipe(z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)).min(1))
    .default(DEFAULT_TTS_VOICES),
  /** The voice of personas that chose none; default the first of TTS_VOICES. */
  TTS_VOICE: optionalText,
  /** Time to the first byte of audio; the stream then runs as long as the client listens. */
  TTS_TIMEOUT_MS: positiveInt(30_000),

  /** Exchanges one user may have per UTC day, across all models (429 past it), where the plan sets none. */
  DAILY_CHAT_QUOTA: positiveInt(200),
  /** Models one user may create per UTC day, where the user's plan sets none (429 past it). */
  MODEL_CREATE_DAILY_QUOTA: positiveInt(10),
  /** A user's training runs started at a provider at once (slot or job), where the plan sets none; more wait in the queue. */
  TRAININGS_IN_FLIGHT_PER_USER: positiveInt(2),
  /** A user's runs that may wait in the training queue beyond their trainings in flight (429 past it). */
  TRAININGS_QUEUED_PER_USER: positiveInt(10),
  /** Most examples one run trains on (the reader's own first), where the plan sets none; at least 10. */
  MAX_TRAINING_EXAMPLES: z.coerce.number().int().min(10).default(100),
  /** Most tokens one run may train (file tokens times epochs): examples are dropped to fit, else it fails unspent. */
  MAX_TRAINING_TOKENS: positiveInt(2_000_000),
  /** Provider jobs active at once per training provider (queued, validating, running); the rest wait in order. */
  TRAINING_MAX_ACTIVE_JOBS: positiveInt(3),
  /** Earlier turns of a conversation sent with each message, newest first, up to this many tokens. */
  CHAT_HISTORY_TOKEN_BUDGET: positiveInt(3000),
  /** Tokens of book passages (up to the reader's place) put in a chat turn's prompt. */
  BOOK_PASSAGE_TOKEN_BUDGET: positiveInt(1200),
  /** Longest pinned memory, in characters (a reply pinned whole is cut to it at a word). */
  MEMORY_MAX_CHARS: positiveInt(500),
  /** Most memories a reader may pin per persona. */
  MEMORIES_PER_PERSONA: positiveInt(50),
  /** Tokens of pinned memories put in a chat turn's prompt, most recently written first. */
  MEMORY_PROMPT_TOKEN_BUDGET: positiveInt(400),
  /** Longest rolling summary of a conversation that outgrew CHAT_HISTORY_TOKEN_BUDGET, in tokens. */
  CHAT_SUMMARY_MAX_TOKENS: positiveInt(300),
  CORS_ALLOWED_ORIGINS: z.string().trim().min(1).default("*"),
  DB_POOL_SIZE: positiveInt(5),
  /** Prepared statements: `auto` uses them except behind a transaction-mode pooler (port 6543). */
  DB_PREPARED_STATEMENTS: z.enum(["auto", "true", "false"]).default("auto"),

  /**
   * The deployment's provider spend per UTC day, in USD, as the spend ledger estimates it: past it
   * chat answers 429 `spend_limit_reached` and new trainings wait. Unset: no limit.
   */
  DAILY_SPEND_LIMIT_USD: z.coerce.number().positive().optional(),
  /** A warning (and a webhook) when one user's spend today reaches this many USD. */
  ALERT_USER_DAILY_SPEND_USD: z.coerce.number().positive().optional(),
  /** Warnings when the deployment's spend today reaches each of these USD amounts (comma-separated). */
  ALERT_DEPLOYMENT_DAILY_SPEND_USD: usdList.optional(),
  /** Warnings at these percentages of DAILY_SPEND_LIMIT_USD (comma-separated; only with a limit). */
  ALERT_SPEND_LIMIT_PERCENTS: percentList.default([80, 100]),
  /** Where alerts are POSTed as JSON with a Slack-compatible `text` (Slack, Mattermost, Discord's /slack, ...). */
  ALERT_WEBHOOK_URL: z.string().url().optional(),
});

/** The per-provider defaults, filled in once the provider is known. */
const settingsSchema = envSchema.transform((settings, ctx) => {
  // Speech is on with both its endpoint and its model, off with neither; one alone is a mistake.
  if (Boolean(settings.TTS_BASE_URL) !== Boolean(settings.TTS_MODEL)) {
    const missing = settings.TTS_BASE_URL ? "TTS_MODEL" : "TTS_BASE_URL";
    ctx.addIssue({ code: "custom", path: [missing], message: "is required when speech is configured" });
  }
  const ttsVoice = settings.TTS_VOICE ?? settings.TTS_VOICES[0];
  if (!settings.TTS_VOICES.includes(ttsVoice)) {
    ctx.addIssue({ code: "custom", path: ["TTS_VOICE"], message: "must be one of TTS_VOICES" });
  }
  // An OpenAI-compatible endpoint has no model we could assume: its URL and a model are required.
  const provider = settings.CHAT_PROVIDER;
  if (provider === "compatible" && !settings.COMPATIBLE_BASE_URL) {
    ctx.addIssue({ code: "custom", path: ["COMPATIBLE_BASE_URL"], message: "is required when CHAT_PROVIDER is compatible" });
  }
  const byProvider = (defaults: Record<"openai" | "anthropic", string>) =>
    provider === "compatible" ? settings.COMPATIBLE_MODEL : defaults[provider];
  const chatModel = settings.CHAT_MODEL ?? byProvider(DEFAULT_CHAT_MODELS);
  const teacherModel = settings.TEACHER_MODEL ?? byProvider(DEFAULT_TEACHER_MODELS);
  if (!chatModel || !teacherModel) {
    ctx.addIssue({
      code: "custom",
      path: ["COMPATIBLE_MODEL"],
      message: "is required when CHAT_PROVIDER is compatible (unless CHAT_MODEL and TEACHER_MODEL are both set)",
    });
  }
  return {
    ...settings,
    CHAT_MODEL: chatModel ?? z.NEVER,
    TEACHER_MODEL: teacherModel ?? z.NEVER,
    /** A built-in default's family is followed to its newest live model; a configured model is taken as named. */
    CHAT_MODEL_IS_DEFAULT: settings.CHAT_MODEL === undefined && provider !== "compatible",
    TEACHER_MODEL_IS_DEFAULT: settings.TEACHER_MODEL === undefined && provider !== "compatible",
    TOGETHER_FINE_TUNE_BASE_MODEL: settings.TOGETHER_FINE_TUNE_BASE_MODEL ??
      (settings.TOGETHER_ENDPOINT_ID ? DEFAULT_TOGETHER_DEDICATED_BASE_MODEL : DEFAULT_TOGETHER_BASE_MODEL),
    TTS_VOICE: ttsVoice,
  };
});

/** The validated configuration shared by every function. */
export type Env = z.infer<typeof settingsSchema>;

let cached: Env | undefined;

/** Names of every setting this project reads (documented in docs/configuration.md). */
export const ENV_NAMES = Object.keys(envSchema.shape) as (keyof z.infer<typeof envSchema>)[];

function readRawEnvironment(): Record<string, string | undefined> {
  const deno = (globalThis as { Deno?: { env: { toObject(): Record<string, string> } } }).Deno;
  const raw = deno ? deno.env.toObject() : process.env;
  // An empty variable means "not set", as in most deployment dashboards.
  return Object.fromEntries(
    ENV_NAMES.map((name) => [name, raw[name] === "" ? undefined : raw[name]]),
  );
}

/** Thrown at first use when a setting is missing or malformed; names the variable, never its value. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/** Parses the environment once, on first use; a bad setting fails loudly with its name. */
export function env(): Env {
  if (cached) return cached;
  const parsed = settingsSchema.safeParse(readRawEnvironment());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join("; ")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forgets the parsed environment so the next `env()` reads it again (tests change it). */
export function resetEnv(): void {
  cached = undefined;
}
