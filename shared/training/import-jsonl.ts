import { type ConversationMessage, type TrainingJsonlProblem, validateTrainingLine } from "./jsonl.ts";

/** Most lines one import may carry: a persona's examples are counted in tens, not thousands. */
export const MAX_IMPORTED_EXAMPLES = 500;

/** What an import of OpenAI chat JSONL gives: every conversation, or every problem with its line. */
export type ImportedJsonl =
  | { ok: true; conversations: ConversationMessage[][] }
  | { ok: false; problems: TrainingJsonlProblem[] };

/**
 * Reads OpenAI chat fine-tuning JSONL as the owner's examples: each line is checked against the
 * provider's rules (the same check as the training file), and the import is all or nothing. System
 * messages are dropped (the persona's style guide is every example's system prompt when a file is
 * built), as are weights; what is left must be a user turn and an assistant turn at least.
 */
export function importTrainingJsonl(jsonl: string): ImportedJsonl {
  const lines = jsonl.replace(/\r?\n$/, "").split(/\r?\n/);
  if (lines.length === 1 && lines[0].trim() === "") {
    return { ok: false, problems: [{ line: null, problem: "has no examples" }] };
  }
  if (lines.length > MAX_IMPORTED_EXAMPLES) {
    return { ok: false, problems: [{ line: null, problem: `has ${lines.length} lines; at most ${MAX_IMPORTED_EXAMPLES} may be imported at once` }] };
  }
  const problems: TrainingJsonlProblem[] = [];
  const conversations: ConversationMessage[][] = [];
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const found = validateTrainingLine(line, lineNumber);
    if (found.length > 0) {
      problems.push(...found);
      return;
    }
    const { messages } = JSON.parse(line) as { messages: { role: string; content: string }[] };
    const turns = messages
      .filter((message) => message.role !== "system")
      .map((message) => ({ role: message.role as ConversationMessage["role"], content: message.content }));
    if (!turns.some((turn) => turn.role === "user")) {
      problems.push({ line: lineNumber, problem: "must have at least one user message besides the system prompt" });
      return;
    }
    conversations.push(turns);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, conversations };
}
