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
}): ChatMessage[] {
  const kept: ChatMessage[][] = [];
  let used = 0;
  for (let i = input.history.length - 1; i >= 0; i--) {
    const exchange = input.history[i];
    const cost = estimateMessageTokens(exchange.user) + estimateMessageTokens(exchange.assistant);
    if (used + cost > input.historyTokenBudget) break;
    used += cost;
    kept.push([
      { role: "user", content: exchange.user },
      { role: "assistant", content: exchange.assistant },
    ]);
  }
  const opening: ChatMessage[] = input.greeting && kept.length === input.history.length &&
      used + estimateMessageTokens(input.greeting) <= input.historyTokenBudget
    ? [{ role: "assistant", content: input.greeting }]
    : [];
  return [
    {
      role: "system",
      content: `${input.styleGuide}\n\n${personaGuard(input.personaName)}` +
        (input.bookContext ? `\n\n${input.bookContext}` : ""),
    },
    ...opening,
    ...kept.reverse().flat(),
    { role: "user", content: input.message },
  ];
}
