import type { ChatMessage } from "../llm/chat.ts";
import { estimateMessageTokens } from "../llm/tokens.ts";

/** One stored exchange of a conversation. */
export interface Exchange {
  user: string;
  assistant: string;
}

/**
 * Reminds the model of the persona's boundaries on every turn, whatever the style guide says:
 * long conversations drift, and users try to pull personas out of character.
 */
export function personaGuard(personaName: string): string {
  return [
    `Stay in character as ${personaName} for the whole conversation, in the first person.`,
    "Know only what this persona would know; when asked about something outside that, answer as the persona would (curious, puzzled or dismissive), never as an assistant.",
    "Never say you are an AI, a language model or a fictional construct unless the user explicitly sets up that game.",
  ].join(" ");
}

/**
 * Which earlier exchanges fit `budget` tokens, newest kept first: those from `start` on (`used`
 * tokens). The ones before `start` are what the rolling summary must carry.
 */
export function historyWindow(history: Exchange[], budget: number): { start: number; used: number } {
  let used = 0;
  let start = history.length;
  while (start > 0) {
    const exchange = history[start - 1];
    const cost = estimateMessageTokens(exchange.user) + estimateMessageTokens(exchange.assistant);
    if (used + cost > budget) break;
    used += cost;
    start--;
  }
  return { start, used };
}

/**
 * The messages sent to the model: the style guide as system prompt, then the persona's greeting as
 * its opening turn, then as many earlier exchanges as fit the token budget (newest kept first, sent
 * oldest first), then the new message. The budget bounds the prompt so a long conversation never
 * overflows the model's context; the greeting is sent while the conversation's start still fits,
 * since it opened the conversation the user sees. The book context, when the persona's book has
 * text, follows the persona's rules in the system prompt.
 */
export function buildChatMessages(input: {
  styleGuide: string;
  personaName: string;
  /** Earlier exchanges, oldest first. */
  history: Exchange[];
  message: string;
  historyTokenBudget: number;
  /** The persona's first message, shown when the conversation opened. */
  greeting?: string | null;
  /** The book part of the system prompt: the reader's place and the passages up to it. */
  bookContext?: string;
  /** What the persona knows of the reader: who they are, their pinned memories, the conversation's summary. */
  readerContext?: string;
}): ChatMessage[] {
  const { start, used } = historyWindow(input.history, input.historyTokenBudget);
  const kept = input.history.slice(start).map((exchange): ChatMessage[] => [
    { role: "user", content: exchange.user },
    { role: "assistant", content: exchange.assistant },
  ]);
  const opening: ChatMessage[] = input.greeting && start === 0 &&
      used + estimateMessageTokens(input.greeting) <= input.historyTokenBudget
    ? [{ role: "assistant", content: input.greeting }]
    : [];
  return [
    {
      role: "system",
      content: `${input.styleGuide}\n\n${personaGuard(input.personaName)}` +
        (input.readerContext ? `\n\n${input.readerContext}` : "") +
        (input.bookContext ? `\n\n${input.bookContext}` : ""),
    },
    ...opening,
    ...kept.flat(),
    { role: "user", content: input.message },
  ];
}
