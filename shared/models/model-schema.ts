import { z } from "zod";
import type { ModelRow } from "./model-row.ts";

// As Postgres renders timestamptz to JSON (and so the Data API): 2026-12-01T19:58:55.038522+00:00.
const timestamp = z.iso.datetime({ offset: true });

/** Blank (null) unless the caller owns the model. */
const ownerOnly = <T extends z.ZodType>(schema: T, what: string) =>
  schema.nullable().describe(`${what}; null on other users' models`);

/**
 * A model as every endpoint answers it: the row of the `fine_tuned_models` view exactly as the
 * Data API shows it to the caller, in the view's column order. The one place its JSON shape is
 * declared, for the OpenAPI document and the handlers' types; a compile-time check below keeps its
 * keys equal to the generated row type's.
 */
export const modelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(["author", "character"]),
  entity_id: z.uuid().nullable(),
  entity_name: z.string(),
  book_id: z.string(),
  book_info: z.record(z.string(), z.unknown()).describe("`{ title, author?, description?, genre? }` as given at creation"),
  description: z.string().nullable(),
  is_public: z.boolean(),
  quick_tune: z.boolean(),
  base_model: z.string().nullable(),
  provider: z.string(),
  status: z.enum(["pending", "training", "completed", "failed", "ready"])
    .describe("`ready`: persona mode, fine-tuning unavailable, the reason in `error`"),
  chat_mode: z.enum(["fine-tuned", "persona"]).describe("Which model answers chat"),
  style_description: z.string().nullable().describe("The persona's style guide: the fallback's system prompt"),
  sample_text: z.string().nullable().describe("80-200 words in the persona's voice, for model cards"),
  starter_prompts: z.array(z.string()).describe("3-5 questions for a new conversation"),
  openai_job_id: ownerOnly(z.string(), "The provider's fine-tuning job"),
  openai_model_id: ownerOnly(z.string(), "The provider's fine-tuned model"),
  training_file_id: ownerOnly(z.string(), "The provider's training file"),
  training_data_summary: z.string().nullable().describe("One sentence: examples, topics, epochs, base model, tokens"),
  training_tokens: ownerOnly(z.number().int(), "Estimated, then trained tokens"),
  estimated_cost_usd: ownerOnly(z.number(), "Estimated training cost"),
  error: ownerOnly(z.string(), "Why training failed or was not available"),
  chat_count: z.number().int(),
  last_used_at: timestamp.nullable(),
  created_by: z.uuid(),
  created_at: timestamp,
  updated_at: timestamp,
  training_started_at: timestamp.nullable(),
  training_completed_at: timestamp.nullable(),
  fine_tuned_model_retired_at: timestamp.nullable(),
  greeting: z.string().nullable().describe(
    "The persona's first message: shown when a conversation opens and sent to the model as its opening turn; the owner may edit it",
  ),
  voice: z.string().nullable().describe(
    "The voice replies are read aloud in (one of GET /fine-tune-speech's `voices`); null: the default voice. The owner may change it",
  ),
  alternate_greetings: z.array(z.string()).describe(
    "Other first messages the persona may open with (a Character Card's `alternate_greetings`); the owner may edit them",
  ),
}).strict().meta({ id: "Model" });

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
// Fails to compile when the view gains or loses a column the schema does not (run `npm run types`).
const keysMatchTheGeneratedRow: SameKeys<z.infer<typeof modelSchema>, ModelRow> = true;
void keysMatchTheGeneratedRow;
