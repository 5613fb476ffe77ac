/** POST /v1/messages: in-character replies, tool use for structured output, SSE streaming. */
import { http, HttpResponse } from "msw";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { inCharacterReply } from "../openai-simulator/chat.ts";
import { fillJsonSchema, type JsonSchema } from "../openai-simulator/json-schema-fill.ts";
import { type ChatMessage, lastUserText, personaName, requestedItemCount } from "../openai-simulator/prompt-reading.ts";
import { randomId, readJsonObject } from "../openai-simulator/responses.ts";
import { SIM_CLAUDE_MODELS } from "./models.ts";
import { errorResponse } from "./responses.ts";
import type { AnthropicSimState } from "./state.ts";

const WORDS_PER_DELTA = 3;

type Turn = { role: string; content: unknown };

function turnText(turn: Turn): string {
  if (typeof turn.content === "string") return turn.content;
  if (Array.isArray(turn.content)) {
    return turn.content.map((block) => (block as { text?: unknown }).text).filter((text) => typeof text === "string").join("");
  }
  return "";
}

/** The request's reading as the OpenAI simulator reads a prompt: system first, then the turns. */
function asChatMessages(system: unknown, turns: Turn[]): ChatMessage[] {
  const systemText = typeof system === "string" ? system : "";
  return [
    ...(systemText ? [{ role: "system", content: systemText }] : []),
    ...turns.map((turn) => ({ role: turn.role, content: turnText(turn) })),
  ] as ChatMessage[];
}

/** The 400/404 Anthropic answers for a request it refuses, or null. */
function refuse(body: Record<string, unknown>, state: AnthropicSimState): Response | null {
  const { model, max_tokens: maxTokens, messages } = body;
  if (typeof model !== "string" || !model) return errorResponse(400, "model: Field required");
  const known = SIM_CLAUDE_MODELS.find((entry) => entry.id === model);
  if (!known || state.retiredModels.has(model)) return errorResponse(404, `model: ${model}`);
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return errorResponse(400, "max_tokens: Field required");
  }
  if (!Array.isArray(messages) || messages.length === 0) return errorResponse(400, "messages: Field required");
  if ((messages as Turn[]).some((turn) => turn.role !== "user" && turn.role !== "assistant")) {
    return errorResponse(400, "messages: roles must be 'user' or 'assistant'; use the top-level 'system' parameter");
  }
  if ((messages as Turn[])[0].role !== "user") return errorResponse(400, "messages: first message must use the 'user' role");
  if (body.temperature !== undefined && known.refusesTemperature) {
    return errorResponse(400, `temperature: is not supported for the model ${model}`);
  }
  if (body.reasoning_effort !== undefined || body.max_completion_tokens !== undefined) {
    return errorResponse(400, "Extra inputs are not permitted");
  }
  return null;
}

/** Handlers for the Messages API. */
export function messageHandlers(state: AnthropicSimState) {
  return [
    http.post("*/v1/messages", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return errorResponse(400, "There was an error parsing the body of your request.");
      state.requests.push(body);
      const refused = refuse(body, state);
      if (refused) return refused;

      const turns = body.messages as Turn[];
      const messages = asChatMessages(body.system, turns);
      const inputTokens = messages.reduce((sum, message) => sum + estimateMessageTokens(turnText(message as Turn)), 0);
      const tool = toolToCall(body);
      const message = {
        id: randomId("msg_", 24),
        type: "message",
        role: "assistant",
        model: body.model,
        stop_sequence: null,
      };
      if (tool) {
        const input = fillJsonSchema(tool.input_schema, {
          persona: personaName(messages),
          requestedCount: requestedItemCount(lastUserText(messages)),
        });
        const content = [{ type: "tool_use", id: randomId("toolu_", 24), name: tool.name, input }];
        const usage = { input_tokens: inputTokens, output_tokens: estimateTokens(JSON.stringify(input)) };
        return HttpResponse.json({ ...message, content, stop_reason: "tool_use", usage });
      }
      const text = inCharacterReply(personaName(messages), lastUserText(messages));
      const usage = { input_tokens: inputTokens, output_tokens: Math.max(1, estimateTokens(text)) };
      if (body.stream === true) return streamed(message, text, usage, state.takeStreamError());
      return HttpResponse.json({ ...message, content: [{ type: "text", text }], stop_reason: "end_turn", usage });
    }),
  ];
}

/** The tool `tool_choice` forces, when the request names one. */
function toolToCall(body: Record<string, unknown>): { name: string; input_schema: JsonSchema } | null {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  const tools = Array.isArray(body.tools) ? body.tools as { name: string; input_schema: JsonSchema }[] : [];
  if (choice?.type !== "tool" || !choice.name) return null;
  return tools.find((tool) => tool.name === choice.name) ?? null;
}

function deltas(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += WORDS_PER_DELTA) pieces.push(words.slice(index, index + WORDS_PER_DELTA).join(""));
  return pieces;
}

/**
 * The Messages API's event stream: message_start, content_block_start, ping, text deltas,
 * content_block_stop, message_delta (stop reason, output tokens), message_stop. With an armed
 * stream error, an `error` event (overloaded) follows the first delta instead.
 */
function streamed(
  message: Record<string, unknown>,
  text: string,
  usage: { input_tokens: number; output_tokens: number },
  streamError: string | null,
): Response {
  const events: [string, unknown][] = [
    ["message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ["ping", { type: "ping" }],
  ];
  const pieces = deltas(text);
  for (const [index, piece] of pieces.entries()) {
    events.push(["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } }]);
    if (streamError && index === 0) {
      events.push(["error", { type: "error", error: { type: streamError, message: "Overloaded" } }]);
      break;
    }
  }
  if (!streamError) {
    events.push(
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }],
      ["message_stop", { type: "message_stop" }],
    );
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const [event, data] of events) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}
