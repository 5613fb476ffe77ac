/** POST /v1/messages: in-character replies, tool use for structured output, SSE streaming. */
import type Anthropic from "@anthropic-ai/sdk";
import { http, HttpResponse } from "msw";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { inCharacterReply } from "../openai-simulator/chat.ts";
import { fillJsonSchema, type JsonSchema } from "../openai-simulator/json-schema-fill.ts";
import { readPersonaFacts } from "../openai-simulator/persona-voice.ts";
import { type ChatMessage, lastUserText, personaName, requestedItemCount } from "../openai-simulator/prompt-reading.ts";
import { randomId, readJsonObject } from "../openai-simulator/responses.ts";
import { record } from "../recorded.ts";
import { refuseOrAccept } from "./refusals.ts";
import { errorBody, errorResponse } from "./responses.ts";
import type { AnthropicSimState } from "./state.ts";

const WORDS_PER_DELTA = 3;

function textOf(content: Anthropic.MessageParam["content"] | Anthropic.MessageCreateParams["system"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((block) => ("text" in block && typeof block.text === "string" ? block.text : "")).join("");
}

/** The request's reading as the OpenAI simulator reads a prompt: system first, then the turns. */
function asChatMessages(request: Anthropic.MessageCreateParams): ChatMessage[] {
  const system = textOf(request.system);
  return [
    ...(system ? [{ role: "system", content: system }] : []),
    ...request.messages.map((turn) => ({ role: turn.role, content: textOf(turn.content) })),
  ];
}

/** The usage block of an answer: what the SDK's `Usage` requires, with our token estimates. */
function usageOf(inputTokens: number, outputTokens: number): Anthropic.Usage {
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation: null,
    cache_creation_input_tokens: null,
    cache_read_input_tokens: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    speed: null,
  };
}

function message(
  model: string,
  content: Anthropic.ContentBlock[],
  stopReason: Anthropic.StopReason | null,
  usage: Anthropic.Usage,
): Anthropic.Message {
  return {
    id: randomId("msg_", 24),
    type: "message",
    role: "assistant",
    model,
    content,
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

/** Handlers for the Messages API. */
export function messageHandlers(state: AnthropicSimState) {
  return [
    http.post("*/v1/messages", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return errorResponse(400, "There was an error parsing the body of your request.");
      record(state.requests, body);
      const checked = refuseOrAccept(body, request.headers, state.retiredModels);
      if ("refused" in checked) return checked.refused;

      const accepted = checked.accepted;
      const messages = asChatMessages(accepted);
      const inputTokens = messages.reduce((sum, turn) => sum + estimateMessageTokens(String(turn.content)), 0);
      const tool = toolToCall(accepted);
      if (tool) {
        const input = fillJsonSchema(tool.input_schema as JsonSchema, {
          persona: personaName(messages),
          requestedCount: requestedItemCount(lastUserText(messages)),
          facts: readPersonaFacts(messages),
        });
        const call: Anthropic.ToolUseBlock = {
          type: "tool_use",
          id: randomId("toolu_", 24),
          name: tool.name,
          input,
          caller: { type: "direct" },
        };
        const usage = usageOf(inputTokens, estimateTokens(JSON.stringify(input)));
        return HttpResponse.json(message(accepted.model, [call], "tool_use", usage));
      }
      const text = inCharacterReply(personaName(messages), lastUserText(messages));
      const usage = usageOf(inputTokens, Math.max(1, estimateTokens(text)));
      if (accepted.stream === true) return streamed(accepted.model, text, usage, state.takeStreamError());
      const block: Anthropic.TextBlock = { type: "text", text, citations: null };
      return HttpResponse.json(message(accepted.model, [block], "end_turn", usage));
    }),
  ];
}

/** The tool `tool_choice` forces, when the request names one. */
function toolToCall(request: Anthropic.MessageCreateParams): Anthropic.Tool | null {
  const choice = request.tool_choice;
  if (choice?.type !== "tool") return null;
  const custom = (request.tools ?? []).filter((tool): tool is Anthropic.Tool => "input_schema" in tool);
  return custom.find((tool) => tool.name === choice.name) ?? null;
}

function deltas(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const pieces: string[] = [];
  for (let index = 0; index < words.length; index += WORDS_PER_DELTA) pieces.push(words.slice(index, index + WORDS_PER_DELTA).join(""));
  return pieces;
}

/**
 * The Messages API's event stream (the SDK's `RawMessageStreamEvent`s, plus `ping`): message_start,
 * content_block_start, ping, text deltas, content_block_stop, message_delta (stop reason, output
 * tokens), message_stop. With an armed stream error, an `error` event (Anthropic's error body)
 * follows the first delta instead.
 */
function streamed(model: string, text: string, usage: Anthropic.Usage, streamError: Anthropic.ErrorObject["type"] | null): Response {
  const start: Anthropic.RawMessageStartEvent = {
    type: "message_start",
    message: message(model, [], null, { ...usage, output_tokens: 1 }),
  };
  const blockStart: Anthropic.RawContentBlockStartEvent = {
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "", citations: null },
  };
  const events: [string, Anthropic.RawMessageStreamEvent | Anthropic.ErrorResponse | { type: "ping" }][] = [
    ["message_start", start],
    ["content_block_start", blockStart],
    ["ping", { type: "ping" }],
  ];
  for (const [index, piece] of deltas(text).entries()) {
    events.push(["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } }]);
    if (streamError && index === 0) {
      events.push(["error", errorBody("Overloaded", streamError)]);
      break;
    }
  }
  if (!streamError) {
    const end: Anthropic.RawMessageDeltaEvent = {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null, stop_details: null, container: null },
      usage: {
        output_tokens: usage.output_tokens,
        input_tokens: null,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens_details: null,
        server_tool_use: null,
      },
    };
    events.push(["content_block_stop", { type: "content_block_stop", index: 0 }], ["message_delta", end], [
      "message_stop",
      { type: "message_stop" },
    ]);
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
