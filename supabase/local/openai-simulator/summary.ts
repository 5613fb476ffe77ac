import { type ChatMessage, messageText } from "./prompt-reading.ts";

/**
 * The simulator's answer to a conversation-summary request: extractive and deterministic, so a
 * test can follow a fact through it. It keeps the earlier summary's lines, then adds one line per
 * thing the reader said, and stops (earliest kept) at the request's completion-token limit, as a
 * model's answer would.
 */

/** How a summary request reads: the instructions the chat service sends (shared/chat/summary.ts). */
const SUMMARY_REQUEST = /running summary of a conversation/i;

export function isSummaryRequest(messages: ChatMessage[]): boolean {
  return messages.some((message) => message.role === "system" && SUMMARY_REQUEST.test(messageText(message)));
}

export function extractiveSummary(messages: ChatMessage[], maxTokens: number | undefined): string {
  const request = messages.filter((message) => message.role === "user").map(messageText).join("\n");
  const [before, after = ""] = request.split(/\nNew exchanges:\n/);
  const previous = before.replace(/^Summary so far:\n/, "").split("\n")
    .filter((line) => line.trim() && line.trim() !== "(none yet)");
  const said = after.split("\n").filter((line) => line.startsWith("Reader: "))
    .map((line) => `- The reader said: ${line.slice("Reader: ".length).trim()}`);
  const lines = [...previous, ...said];
  // About four characters a token, as the functions' own estimate counts.
  const budget = (maxTokens ?? 1000) * 4;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join("\n") || "- Nothing to remember yet.";
}
