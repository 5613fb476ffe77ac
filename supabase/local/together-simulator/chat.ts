/**
 * `/v1/chat/completions`, OpenAI-compatible as Together's: base models and DEPLOYED adapters answer
 * in character. An adapter neither attached to a running dedicated endpoint nor of a base served by
 * serverless LoRA is refused as Together refuses a model it does not serve: 400
 * `model_not_available`, "Unable to access non-serverless model ..." (Together's body as quoted in
 * public bug reports, e.g. in its `id`/`error` shape; the openapi's ErrorData types it).
 */
import { http, HttpResponse } from "msw";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionUsage } from "together-ai/resources/chat/completions";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { inCharacterReply } from "../openai-simulator/chat.ts";
import { type ChatMessage, lastUserText, messageText, personaName } from "../openai-simulator/prompt-reading.ts";
import { errorResponse, jsonResponse, readJsonObject } from "../openai-simulator/responses.ts";
import { record } from "../recorded.ts";
import { attachedToRunningEndpoint } from "./endpoints.ts";
import { adapterStatus, liveAdapterBase } from "./fine-tunes.ts";
import type { TogetherSimState } from "./state.ts";

export function chatHandlers(state: TogetherSimState) {
  return [
    http.post("*/v1/chat/completions", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return errorResponse(400, "The body must be a JSON object.");
      record(state.chatRequests, body);
      const { model, messages } = body;
      if (typeof model !== "string" || !model) return errorResponse(400, "model is required.", { param: "model" });
      if (!Array.isArray(messages) || messages.length === 0) return errorResponse(400, "messages is required.", { param: "messages" });
      if (adapterStatus(state, model) === "gone") {
        return errorResponse(404, `Unable to access model ${model}. Please visit https://api.together.ai/models to view the list of supported models.`, { code: "model_not_available" });
      }
      if (adapterStatus(state, model) === "live" && !deployed(state, model)) {
        return errorResponse(
          400,
          `Unable to access non-serverless model ${model}. Please visit https://api.together.ai/models/${model} to create and start a new dedicated endpoint for the model.`,
          { code: "model_not_available" },
        );
      }
      const chat = messages as ChatMessage[];
      const content = inCharacterReply(personaName(chat), lastUserText(chat));
      const prompt = chat.reduce((sum, message) => sum + estimateMessageTokens(messageText(message)), 0);
      const usage: ChatCompletionUsage = { prompt_tokens: prompt, completion_tokens: estimateTokens(content), total_tokens: prompt + estimateTokens(content) };
      const id = `sim-${crypto.randomUUID()}`;
      const created = Math.floor(state.now() / 1000);
      if (body.stream === true) return streamed({ id, created, model }, content, usage);
      const completion: ChatCompletion = {
        id,
        object: "chat.completion",
        created,
        model,
        prompt: [],
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage,
      };
      return jsonResponse(completion);
    }),
  ];
}

/** Whether Together serves `adapter` now: attached to a running endpoint, or its base served serverless. */
function deployed(state: TogetherSimState, adapter: string): boolean {
  const base = liveAdapterBase(state, adapter);
  return attachedToRunningEndpoint(state, adapter) || (base !== null && state.serverlessLoraBases.has(base));
}

/** Together's stream: content chunks, a finish chunk carrying the usage, then `[DONE]`. */
function streamed(head: { id: string; created: number; model: string }, content: string, usage: ChatCompletionUsage) {
  const words = content.match(/\S+\s*/g) ?? [content];
  const chunk = (content: string | null, finish: ChatCompletionChunk.Choice["finish_reason"], withUsage = false): string => {
    const body: ChatCompletionChunk = {
      ...head,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { role: "assistant", ...(content === null ? {} : { content }) }, finish_reason: finish }],
      ...(withUsage ? { usage } : {}),
    };
    return `data: ${JSON.stringify(body)}\n\n`;
  };
  const parts = [...words.map((word) => chunk(word, null)), chunk(null, "stop", true), "data: [DONE]\n\n"];
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
}
