import type { ChatMessage } from "../llm/chat.ts";
import { estimateMessageTokens } from "../llm/tokens.ts";
import type { GroupHistoryMessage } from "./group-context.ts";
import { personaGuard } from "./prompt.ts";

/** How the reader is labelled in a group prompt. */
export const READER_LABEL = "Reader";

/** The note that tells a persona it is one voice among several, and how the others are labelled. */
export function groupNote(personaName: string, otherNames: string[]): string {
  return [
    `This is a group conversation between a reader and ${[personaName, ...otherNames].join(", ")}.`,
    `The other speakers' messages are labelled with their name in square brackets, the reader's as [${READER_LABEL}].`,
    `Reply only as ${personaName}, in your own voice, without a label, and never speak for the others.`,
  ].join(" ");
}

/**
 * The messages one persona of a group sees: its style guide, the persona guard and the group note
 * as system prompt, then the conversation with every speaker labelled (its own words as its
 * turns, everyone else's as labelled user turns). Earlier messages are kept newest first up to the
 * token budget; the current round (the reader's message and the replies before this one) always.
 */
export function buildGroupChatMessages(input: {
  styleGuide: string;
  persona: { id: string; name: string };
  otherNames: string[];
  /** Stored messages, oldest first. */
  history: GroupHistoryMessage[];
  /** This round so far, oldest first: the reader's message, then earlier replies. */
  round: GroupHistoryMessage[];
  historyTokenBudget: number;
}): ChatMessage[] {
  const asTurn = (message: GroupHistoryMessage): ChatMessage =>
    message.role === "assistant" && message.modelId === input.persona.id
      ? { role: "assistant", content: message.content }
      : { role: "user", content: `[${message.speakerName ?? READER_LABEL}] ${message.content}` };

  const kept: ChatMessage[] = [];
  let used = 0;
  for (let i = input.history.length - 1; i >= 0; i--) {
    const turn = asTurn(input.history[i]);
    const cost = estimateMessageTokens(turn.content);
    if (used + cost > input.historyTokenBudget) break;
    used += cost;
    kept.push(turn);
  }
  const system = `${input.styleGuide}\n\n${personaGuard(input.persona.name)}\n\n${groupNote(input.persona.name, input.otherNames)}`;
  return [{ role: "system", content: system }, ...kept.reverse(), ...input.round.map(asTurn)];
}
