import { z } from "zod";
import { log } from "../log.ts";
import type { ChatMessage } from "./chat.ts";
import type { ModelRules } from "./model-rules.ts";
import { TrainingDataError } from "./errors.ts";
import type { TokenUsage, UsageMeter } from "./usage.ts";

/**
 * The teacher model: the one place that asks an LLM for structured JSON (training examples,
 * style guides, starter prompts) and turns unusable answers into bounded retries. Provider
 * neutral: the call itself is a `TeacherClient` (providers/ implements it).
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
  messages: ChatMessage[];
  maxCompletionTokens: number;
  /** Collects what every attempt used (unusable answers are billed too), for the spend ledger. */
  meter?: UsageMeter;
}

/**
 * One attempt's answer: its text, or why it is unusable (which earns another attempt); with the
 * tokens it used where the provider said.
 */
export type TeacherAnswer = ({ content: string } | { problem: string }) & { usage?: TokenUsage };

/** The part of a request the provider sends. */
export type TeacherCompletion = Pick<
  TeacherRequest<unknown>,
  "schemaName" | "responseSchema" | "messages" | "maxCompletionTokens"
>;

/** A completion with the model that writes it and that model's parameter rules. */
export type TeacherCall = TeacherCompletion & { model: string; rules?: ModelRules };

/** What a provider does for the teacher: one completion constrained to a JSON schema. */
export interface TeacherClient {
  /**
   * One request, no retries of unusable answers (the caller retries). HTTP failures, already
   * retried by the SDK, throw `ProviderError`.
   */
  completeJson(request: TeacherCall): Promise<TeacherAnswer>;
}

/**
 * Asks the teacher model, through `client`, for JSON of a given shape. An unusable answer (not a
 * completion, refused, cut off, not JSON, rejected by `read`) is asked again, `TEACHER_ATTEMPTS`
 * times in all, then `TrainingDataError`. HTTP failures (the client's `ProviderError`) propagate at
 * once so the caller can decide to try later.
 */
export async function askForJson<T>(
  client: TeacherClient,
  request: TeacherRequest<T>,
  model: { model: string; rules?: ModelRules; provider?: string },
): Promise<T> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= TEACHER_ATTEMPTS; attempt++) {
    const outcome = await askTeacherOnce(client, request, model);
    if ("value" in outcome) return outcome.value;
    lastProblem = outcome.problem;
    log.warn("teacher answer unusable", { purpose: request.purpose, attempt, problem: lastProblem });
  }
  throw new TrainingDataError(
    `The teacher model gave no usable ${request.purpose} in ${TEACHER_ATTEMPTS} attempts (last problem: ${lastProblem}).`,
  );
}

async function askTeacherOnce<T>(
  client: TeacherClient,
  request: TeacherRequest<T>,
  model: { model: string; rules?: ModelRules; provider?: string },
): Promise<{ value: T } | { problem: string }> {
  const { meter, ...call } = request;
  const answer = await client.completeJson({ ...call, model: model.model, rules: model.rules });
  if (meter && answer.usage) meter.add(model.provider ?? "unknown", model.model, answer.usage);
  if ("problem" in answer) return answer;
  let json: unknown;
  try {
    json = JSON.parse(answer.content);
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
