/**
 * What the Messages API refuses, with its own error text: a request the real API would answer
 * with a 400 or 404 must not pass here, or a production failure hides behind a green test.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { type SimClaudeModel, servedModel } from "./models.ts";
import { errorResponse } from "./responses.ts";

/** The API version `@anthropic-ai/sdk` 1.x sends; from it on, sampling parameters are refused. */
export const SDK_API_VERSION = "2026-10-21";
const SAMPLING = ["temperature", "top_p", "top_k"] as const;

/** Models that take no prefill (a conversation ending with the assistant's turn). */
function refusesPrefill(model: SimClaudeModel): boolean {
  return model.id !== "claude-haiku-4-5";
}

/** Opus 4.7 and later, and every generation-5 model, deprecate `temperature` (older API version). */
function deprecatesTemperature(model: SimClaudeModel): boolean {
  return /^claude-[a-z]+-(?:5|4-[7-9])(?:-|$)/.test(model.id);
}

function samplingRefusal(body: Record<string, unknown>, version: string, model: SimClaudeModel | undefined): Response | null {
  const sent = SAMPLING.filter((name) => body[name] !== undefined);
  if (sent.length === 0) return null;
  if (version >= SDK_API_VERSION) return errorResponse(400, `${sent[0]}: Extra inputs are not permitted`);
  const temperature = body.temperature;
  if (temperature !== undefined) {
    if (typeof temperature !== "number") return errorResponse(400, "temperature: Input should be a valid number");
    if (temperature < 0) return errorResponse(400, "temperature: Input should be greater than or equal to 0");
    if (temperature > 1) return errorResponse(400, "temperature: Input should be less than or equal to 1");
    if (model && deprecatesTemperature(model)) return errorResponse(400, "`temperature` is deprecated for this model.");
  }
  return null;
}

/**
 * The refusal Anthropic answers for this request body, or the body as the SDK types it. The body's
 * shape first (400 `invalid_request_error`), then the model (404 `not_found_error`).
 */
export function refuseOrAccept(
  body: Record<string, unknown>,
  headers: Headers,
  retired: ReadonlySet<string>,
): { refused: Response } | { accepted: Anthropic.MessageCreateParams; model: SimClaudeModel } {
  const version = headers.get("anthropic-version");
  if (!version) return { refused: errorResponse(400, "anthropic-version: header is required") };
  const { model, max_tokens: maxTokens, messages } = body;
  if (typeof model !== "string" || !model) return { refused: errorResponse(400, "model: Field required") };
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 0) {
    return { refused: errorResponse(400, "max_tokens: Field required") };
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return { refused: errorResponse(400, "messages: at least one message is required") };
  }
  const turns = messages as { role?: unknown }[];
  const badRole = turns.findIndex((turn) => turn.role !== "user" && turn.role !== "assistant" && turn.role !== "system");
  if (badRole >= 0) return { refused: errorResponse(400, `messages.${badRole}.role: Input should be 'user', 'assistant' or 'system'`) };
  if (turns[0].role !== "user") return { refused: errorResponse(400, 'messages: first message must use the "user" role') };
  for (const name of ["reasoning_effort", "max_completion_tokens"]) {
    if (body[name] !== undefined) return { refused: errorResponse(400, `${name}: Extra inputs are not permitted`) };
  }
  const served = servedModel(model, retired);
  const sampling = samplingRefusal(body, version, served);
  if (sampling) return { refused: sampling };
  if (!served) return { refused: errorResponse(404, `model: ${model}`) };
  if (turns.at(-1)!.role === "assistant" && refusesPrefill(served)) {
    return { refused: errorResponse(400, "Prefilling assistant messages is not supported for this model.") };
  }
  return { accepted: body as unknown as Anthropic.MessageCreateParams, model: served };
}
