/** `/v1/chat/completions`, OpenAI-compatible as Together's: adapters and base models answer in character. */
import { http, HttpResponse } from "msw";
import { estimateMessageTokens, estimateTokens } from "../../../shared/llm/tokens.ts";
import { inCharacterReply } from "../openai-simulator/chat.ts";
import { type ChatMessage, lastUserText, messageText, personaName } from "../openai-simulator/prompt-reading.ts";
import { errorResponse, jsonResponse, readJsonObject } from "../openai-simulator/responses.ts";
import { adapterStatus } from "./fine-tunes.ts";
import type { TogetherSimState } from "./state.ts";

export function chatHandlers(state: TogetherSimState) {
  return [
    http.post("*/v1/chat/completions", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return errorResponse(400, "The body must be a JSON object.");
      state.chatRequests.push(body);
      const { model, messages } = body;
      if (typeof model !== "string" || !model) return errorResponse(400, "model is required.", { param: "model" });
      if (!Array.isArray(messages) || messages.length === 0) return errorResponse(400, "messages is required.", { param: "messages" });
      if (adapterStatus(state, model) === "gone") {
        return errorResponse(404, `Unable to access model ${model}. Please visit https://api.together.ai/models to view the list of supported models.`, { code: "model_not_available" });
      }
      const chat = messages as ChatMessage[];
      const content = inCharacterReply(personaName(chat), lastUserText(chat));
      const prompt = chat.reduce((sum, message) => sum + estimateMessageTokens(messageText(message)), 0);
      const usage = { prompt_tokens: prompt, completion_tokens: estimateTokens(content), total_tokens: prompt + estimateTokens(content) };
      const id = `sim-${crypto.randomUUID()}`;
      const created = Math.floor(state.now() / 1000);
      if (body.stream === true) return streamed({ id, created, model }, content, usage);
      return jsonResponse({
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage,
      });
    }),
  ];
}

/** Together's stream: content chunks, a finish chunk carrying the usage, then `[DONE]`. */
function streamed(head: { id: string; created: number; model: string }, content: string, usage: Record<string, number>) {
  const words = content.match(/\S+\s*/g) ?? [content];
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ ...head, object: "chat.completion.chunk", choices: [{ index: 0, delta, ...extra }] })}\n\n`;
  const parts = [
    ...words.map((word) => chunk({ content: word }, { finish_reason: null })),
    `data: ${JSON.stringify({ ...head, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage })}\n\n`,
    "data: [DONE]\n\n",
  ];
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
}
