import type Anthropic from "@anthropic-ai/sdk";
import type { ChatMessage } from "../../llm/chat.ts";

/** Anthropic requires `max_tokens`; our callers may leave it out. */
export const DEFAULT_MAX_TOKENS = 1024;

/**
 * The user turn put before a conversation that opens with the persona (its greeting, or a group
 * history cut where the persona spoke): the Messages API wants the user's turn first. A scene
 * cue keeps the greeting as the persona's own words, where a system-prompt note would not.
 */
export const OPENING_CUE = "(The reader has opened the conversation.)";

type Turn = { role: "user" | "assistant"; content: string };

/** Consecutive turns of one role as one turn (the API would combine them; we send what it reads). */
function alternating(turns: Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const last = merged.at(-1);
    if (last?.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
    else merged.push({ ...turn });
  }
  return merged;
}

/**
 * Our chat messages in the Messages API's shape, typed by the SDK so a renamed field fails
 * `deno check`: system turns become the `system` parameter; the rest alternate, user first.
 * No `temperature`: API version 2026-10-21 (the one `@anthropic-ai/sdk` 1.x sends) refuses
 * sampling parameters on every model, and the SDK's request type has no such field.
 */
export function messagesRequest(request: {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
}): Omit<Anthropic.MessageCreateParamsNonStreaming, "stream"> {
  const system = request.messages.filter((message) => message.role === "system").map((message) => message.content);
  const turns = alternating(request.messages.flatMap((message) =>
    message.role === "system" ? [] : [{ role: message.role, content: message.content }]
  ));
  if (turns[0]?.role === "assistant") turns.unshift({ role: "user", content: OPENING_CUE });
  const messages: Anthropic.MessageParam[] = turns;
  return {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    ...(system.length > 0 ? { system: system.join("\n\n") } : {}),
    messages,
  };
}
