import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { isInsufficientPrivilege } from "../db/errors.ts";
import { type FieldIssue, notFound, validationFailed } from "../errors.ts";
import { transcriptHeaderLine, transcriptMessageLine, type TranscriptMessage } from "./lines.ts";

/** The most exchanges one import may hold: a long conversation, not a bulk load. */
export const MAX_IMPORTED_EXCHANGES = 2000;

interface ImportedExchange {
  user_message: string;
  ai_response: string;
}

/**
 * Reads a JSONL transcript (this API's export, or a SillyTavern-style chat: an optional header
 * line, then message lines) into exchanges: each reader's message followed by the persona's
 * reply. Every line is checked; any problem refuses the whole import with the line numbers.
 */
export function parseTranscript(jsonl: string): ImportedExchange[] {
  const issues: FieldIssue[] = [];
  const problem = (line: number, message: string) => issues.push({ path: ["transcript", line], message: `line ${line}: ${message}` });
  const messages: { line: number; message: TranscriptMessage }[] = [];

  jsonl.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return problem(line, "is not valid JSON");
    }
    if (messages.length === 0 && transcriptHeaderLine.safeParse(value).success) return; // the header
    const parsed = transcriptMessageLine.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return problem(line, `${first.path.join(".") || "the line"}: ${first.message}`);
    }
    messages.push({ line, message: parsed.data });
  });

  const exchanges: ImportedExchange[] = [];
  for (let i = 0; i < messages.length; i += 2) {
    const asked = messages[i];
    const answered = messages[i + 1];
    if (!asked.message.is_user) {
      problem(asked.line, "expected the reader's message (is_user: true) before the persona's reply");
      break;
    }
    if (!answered) {
      problem(asked.line, "the reader's last message has no reply from the persona");
      break;
    }
    if (answered.message.is_user) {
      problem(answered.line, "expected the persona's reply (is_user: false) after the reader's message");
      break;
    }
    exchanges.push({ user_message: asked.message.mes, ai_response: answered.message.mes });
  }
  if (issues.length === 0 && exchanges.length === 0) issues.push({ path: ["transcript"], message: "has no messages" });
  if (exchanges.length > MAX_IMPORTED_EXCHANGES) {
    issues.push({ path: ["transcript"], message: `has ${exchanges.length} exchanges; at most ${MAX_IMPORTED_EXCHANGES} may be imported at once` });
  }
  if (issues.length > 0) throw validationFailed(issues.slice(0, 50));
  return exchanges;
}

/**
 * Stores the exchanges as a new conversation of the caller with the model, in one statement as
 * the user (RLS: only a model they may see, and only rows marked `imported`; the trigger numbers
 * the messages in order). Imported words are not the model's: they count in neither its
 * chat_count nor its popularity and never become training examples. They cost no provider call,
 * so they take no quota.
 */
export async function importTranscript(auth: UserAuth, modelId: string, exchanges: readonly ImportedExchange[]) {
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
    });
  } catch (error) {
    if (isInsufficientPrivilege(error)) throw notFound("No such model.");
    throw error;
  }
  return { conversationId, exchanges: exchanges.length };
}
