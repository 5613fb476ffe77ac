import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { z } from "zod";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { toProviderError } from "../providers/errors.ts";
import { openAI } from "../providers/openai-client.ts";
import { TrainingDataError } from "./jsonl.ts";

/**
 * The teacher model: the one place that asks an LLM for structured JSON (training examples,
 * style guides, starter prompts) and turns unusable answers into bounded retries.
 */

/** Attempts per teacher request before an unusable answer becomes a `TrainingDataError`. */
export const TEACHER_ATTEMPTS = 3;

/** A string whose trimmed length is checked by zod only: OpenAI's strict schemas refuse minLength/maxLength. */
export function boundedText(min: number, max: number) {
  return z.string().trim().refine((text) => text.length >= min && text.length <= max, {
    message: `must be ${min} to ${max} characters`,
  });
}

/** Zod issues as a short text without input values, safe to store. */
export function summariseIssues(error: z.ZodError, prefix: (string | number)[] = []): string {
  const shown = error.issues.slice(0, 3).map((issue) =>
    `${[...prefix, ...issue.path].map(String).join(".") || "answer"}: ${issue.message}`
  );
  return shown.join("; ") + (error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : "");
}

export interface TeacherRequest<T> {
  /** What is generated, for errors and logs ("training examples"). */
  purpose: string;
  schemaName: string;
  /** The shape the teacher must produce, sent as a strict `json_schema` response format. */
  responseSchema: z.ZodType;
  /**
   * Validates the parsed JSON: the value, or a problem (safe to store) that earns another attempt.
   * Default: the answer must match `responseSchema`.
   */
  read?(json: unknown): { value: T } | { problem: string };
  messages: ChatCompletionMessageParam[];
  maxCompletionTokens: number;
}

// Only the fields we use; anything else in the body is the provider's business.
const completionSchema = z.object({
  choices: z.array(z.object({
    finish_reason: z.string().nullish(),
    message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
  })).min(1),
});

/**
 * Asks the teacher model (`TEACHER_MODEL`) for JSON of a given shape. An unusable answer (not a
 * completion, refused, cut off, not JSON, rejected by `read`) is asked again, `TEACHER_ATTEMPTS`
 * times in all, then `TrainingDataError`. HTTP failures, already retried by the SDK, become
 * `ProviderError` at once (through the shared mapper) so the caller can decide to try later.
 */
export async function askTeacherForJson<T>(request: TeacherRequest<T>): Promise<T> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= TEACHER_ATTEMPTS; attempt++) {
    const outcome = await askTeacherOnce(request);
    if ("value" in outcome) return outcome.value;
    lastProblem = outcome.problem;
    log.warn("teacher answer unusable", { purpose: request.purpose, attempt, problem: lastProblem });
  }
  throw new TrainingDataError(
    `The teacher model gave no usable ${request.purpose} in ${TEACHER_ATTEMPTS} attempts (last problem: ${lastProblem}).`,
  );
}

async function askTeacherOnce<T>(request: TeacherRequest<T>): Promise<{ value: T } | { problem: string }> {
  let body: unknown;
  try {
    body = await openAI().chat.completions.create({
      model: env().TEACHER_MODEL,
      messages: request.messages,
      response_format: zodResponseFormat(request.responseSchema, request.schemaName),
      max_completion_tokens: request.maxCompletionTokens,
    });
  } catch (error) {
    // The SDK could not read the body (a JSON content type with broken JSON): a malformed answer.
    if (error instanceof SyntaxError) return { problem: "the response body was not valid JSON" };
    throw toProviderError(error, { action: "Asking the teacher model" });
  }
  const completion = completionSchema.safeParse(body);
  if (!completion.success) return { problem: "the response was not a chat completion" };
  const choice = completion.data.choices[0];
  if (choice.message.refusal) return { problem: "the model refused" };
  if (choice.finish_reason === "length") return { problem: "the answer was cut off at the token limit" };
  if (!choice.message.content) return { problem: "the answer was empty" };
  let json: unknown;
  try {
    json = JSON.parse(choice.message.content);
  } catch {
    return { problem: "the answer was not valid JSON" };
  }
  return request.read ? request.read(json) : readWithSchema<T>(request.responseSchema, json);
}

/** The default reading: the answer must match the response schema itself. */
function readWithSchema<T>(schema: z.ZodType, json: unknown): { value: T } | { problem: string } {
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data as T } : { problem: summariseIssues(parsed.error) };
}
