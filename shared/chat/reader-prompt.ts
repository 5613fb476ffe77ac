import { estimateTokens } from "../llm/tokens.ts";

/** What a chat turn knows of its reader: loaded by reader-context.ts, put in the prompt here. */
export interface ReaderTurnContext {
  /** The reader's memories of this persona, most recently written first. */
  memories: { id: string; text: string }[];
  /** Who the reader is in this conversation (chosen for it, else their default), if anyone. */
  persona: {
    id: string;
    name: string;
    description: string;
    /** The character they play, when it is a persona of the same book as the one answering. */
    plays: { entityName: string; description: string | null } | null;
  } | null;
  /** The rolling summary of the exchanges that no longer fit the history budget. */
  summary: { text: string; coversThrough: number } | null;
}

/** The memories that fit `budget` tokens, most recently written first; the rest wait out of the prompt. */
export function memoriesWithin<T extends { text: string }>(memories: T[], budget: number): T[] {
  const kept: T[] = [];
  let used = 0;
  for (const memory of memories) {
    const cost = estimateTokens(memory.text) + 2;
    if (used + cost > budget) break;
    used += cost;
    kept.push(memory);
  }
  return kept;
}

function whoTheReaderIs(persona: NonNullable<ReaderTurnContext["persona"]>): string {
  const about = persona.description ? ` ${persona.description}` : "";
  if (!persona.plays) return `You are talking with ${persona.name}.${about}`;
  const { entityName, description } = persona.plays;
  return `You are talking with ${persona.name}, who is ${entityName} of your own story: answer them as ${entityName}, ` +
    `as you would in the story.${description ? ` ${entityName}: ${description}` : ""}${about}`;
}

/**
 * The reader's part of the system prompt: who they are, what they asked the persona to remember
 * (the given memories, newest first) and the summary of the conversation's earlier part.
 */
export function buildReaderPrompt(
  context: Pick<ReaderTurnContext, "persona" | "summary">,
  memories: { text: string }[],
): string | undefined {
  const parts: string[] = [];
  if (context.persona) parts.push(whoTheReaderIs(context.persona));
  if (memories.length > 0) {
    parts.push(`What the reader asked you to remember (most recent first):\n${memories.map((m) => `- ${m.text}`).join("\n")}`);
  }
  if (context.summary) {
    parts.push(`Summary of the earlier part of this conversation (older than the messages that follow):\n${context.summary.text}`);
  }
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}
