import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { isInsufficientPrivilege } from "../db/errors.ts";
import { type FieldIssue, notFound, validationFailed } from "../errors.ts";
import { storableText } from "../models/text.ts";
import { importedMessageLine, isHeaderLine, MAX_MESSAGE_CHARS } from "./lines.ts";

/** The most exchanges one import may hold: a long conversation, not a bulk load. */
export const MAX_IMPORTED_EXCHANGES = 2000;

interface ImportedExchange {
  user_message: string;
  ai_response: string;
}

/** What a transcript held that is not stored as an exchange, counted so nothing is lost unsaid. */
export interface SkippedLines {
  /** Narrator/system lines (`is_system: true`, or SillyTavern's `extra.type: "narrator"`). */
  system: number;
  /** Messages with no text (an image-only message). */
  empty: number;
  /** Alternative replies (`swipes`) other than the chosen one. */
  swipes: number;
}

export interface ParsedTranscript {
  /** The persona's words before the reader's first message (SillyTavern's greeting), if any. */
  opening: string | null;
  exchanges: ImportedExchange[];
  skipped: SkippedLines;
}

interface Said {
  line: number;
  isUser: boolean;
  text: string;
}

/**
 * Reads a JSONL transcript (this API's export, or a chat SillyTavern saved: a header line, then
 * message lines) into the opening (the persona's greeting, before the reader spoke) and exchanges:
 * the reader's messages, then the persona's reply. Consecutive lines of one side join into one
 * message; narrator lines, empty messages and unchosen swipes are skipped and counted. Any bad line refuses the whole import, by line number.
 */
export function parseTranscript(jsonl: string): ParsedTranscript {
  const issues: FieldIssue[] = [];
  const problem = (line: number, message: string) => issues.push({ path: ["transcript", line], message: `line ${line}: ${message}` });
  const skipped: SkippedLines = { system: 0, empty: 0, swipes: 0 };
  const said: Said[] = [];
  let seenLine = false;

  jsonl.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === "") return;
    const first = !seenLine;
    seenLine = true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return problem(line, "is not valid JSON");
    }
    if (isHeaderLine(value)) {
      if (!first) problem(line, "a second header line: a transcript holds one chat");
      return;
    }
    const parsed = importedMessageLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return problem(line, `${issue.path.join(".") || "the line"}: ${issue.message}`);
    }
    const message = parsed.data;
    const chosen = message.swipes && message.swipe_id !== undefined ? message.swipes[message.swipe_id] : undefined;
    if (message.swipes) skipped.swipes += Math.max(0, message.swipes.length - 1);
    if (message.is_system || message.extra?.type === "narrator") return void skipped.system++;
    const words = (chosen ?? message.mes).trim();
    if (words === "") return void skipped.empty++;
    said.push({ line, isUser: message.is_user, text: words });
  });

  // The greeting: what the persona said before the reader said anything.
  const greeting = runFrom(said, 0, false);
  const opening = greeting.lines.length > 0 ? joined(greeting.lines, problem) ?? null : null;
  const exchanges: ImportedExchange[] = [];
  for (let i = greeting.next; i < said.length && issues.length === 0;) {
    const asked = runFrom(said, i, true);
    const answered = runFrom(said, asked.next, false);
    if (answered.lines.length === 0) {
      problem(said[i].line, "the reader's last message has no reply from the persona");
      break;
    }
    const user_message = joined(asked.lines, problem);
    const ai_response = joined(answered.lines, problem);
    if (user_message !== undefined && ai_response !== undefined) exchanges.push({ user_message, ai_response });
    i = answered.next;
  }
  if (issues.length === 0 && exchanges.length === 0) issues.push({ path: ["transcript"], message: "has no messages" });
  if (exchanges.length > MAX_IMPORTED_EXCHANGES) {
    issues.push({ path: ["transcript"], message: `has ${exchanges.length} exchanges; at most ${MAX_IMPORTED_EXCHANGES} may be imported at once` });
  }
  if (issues.length > 0) throw validationFailed(issues.slice(0, 50));
  return { opening, exchanges, skipped };
}

/** The consecutive lines from `start` said by one side. */
function runFrom(said: Said[], start: number, isUser: boolean): { lines: Said[]; next: number } {
  let next = start;
  while (next < said.length && said[next].isUser === isUser) next++;
  return { lines: said.slice(start, next), next };
}

/** One side's consecutive lines as one stored message (paragraphs apart), if it fits a stored message. */
function joined(lines: Said[], problem: (line: number, message: string) => void): string | undefined {
  const checked = storableText(MAX_MESSAGE_CHARS).safeParse(lines.map((said) => said.text).join("\n\n"));
  if (checked.success) return checked.data;
  problem(lines[0].line, `mes: ${checked.error.issues[0].message}`);
  return undefined;
}

/**
 * Stores the exchanges as a new conversation of the caller with the model, and its opening, in one
 * transaction as the user (RLS: only a model they may see, only rows marked `imported`, an opening
 * only of their own conversation; the trigger numbers the messages in order). Imported words are not the model's: they count in neither its
 * chat_count nor its popularity and never become training examples. They cost no provider call,
 * so they take no quota.
 */
export async function importTranscript(
  auth: UserAuth,
  modelId: string,
  { opening, exchanges }: Pick<ParsedTranscript, "opening" | "exchanges">,
) {
  const conversationId = crypto.randomUUID();
  try {
    await withUserTransaction(auth, async (tx) => {
      const [model] = await tx`select 1 from public.fine_tuned_models where id = ${modelId}`;
      if (!model) throw notFound("No such model.");
      await tx`
        insert into public.fine_tuned_chats (model_id, conversation_id, user_message, ai_response, model_used, imported)
        select ${modelId}, ${conversationId}, e.user_message, e.ai_response, 'imported', true
        from jsonb_to_recordset(${tx.json(exchanges.map((exchange, n) => ({ n, ...exchange })) as never)}::jsonb)
          as e (n integer, user_message text, ai_response text)
        order by e.n`;
      if (opening !== null) {
        await tx`
          insert into public.conversation_openings (conversation_id, model_id, content)
          values (${conversationId}, ${modelId}, ${opening})`;
      }
    });
  } catch (error) {
    if (isInsufficientPrivilege(error)) throw notFound("No such model.");
    throw error;
  }
  return { conversationId, exchanges: exchanges.length, opening: opening !== null };
}
