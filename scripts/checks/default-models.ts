/**
 * Type-level check, run by `npm run check` (deno check scripts/): every default chat and teacher
 * model in shared/env.ts is a model its provider's pinned SDK names, so a default the SDK dropped
 * (a retired model, like claude-sonnet-4-5 in @anthropic-ai/sdk 1.15.0) fails the build.
 * tests/unit/default-models.test.ts reads the same lists from the installed SDKs.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { ChatModel } from "openai/resources/shared";
import { DEFAULT_CHAT_MODELS, DEFAULT_TEACHER_MODELS } from "../../shared/env.ts";

/** The names a model type spells out: its open arm (`string & {}`) dropped. */
type Named<T> = T extends string ? (string extends T ? never : T) : never;

/**
 * OpenAI defaults newer than the pinned `openai` 6.49.0 (2026-07-23): `gpt-6-luna` is in
 * `ChatModel` from openai 7.0.0 on, which needs Node 22. Each entry must go once the SDK names it.
 */
type NewerThanPinnedOpenAI = "gpt-6-luna";

/** Per chat provider, the model ids its SDK names (a new provider must say what holds its defaults). */
interface SdkModels {
  openai: Named<ChatModel> | NewerThanPinnedOpenAI;
  anthropic: Named<Anthropic.Model>;
}

type Defaults = { [Provider in keyof typeof DEFAULT_CHAT_MODELS]: SdkModels[Provider] };

export const chatDefaults: Defaults = DEFAULT_CHAT_MODELS;
export const teacherDefaults: Defaults = DEFAULT_TEACHER_MODELS;

/** Fails to compile once the pinned SDK names an excepted model: the exception is stale then. */
export const noStaleException: [Extract<NewerThanPinnedOpenAI, ChatModel>] extends [never] ? true : false = true;
