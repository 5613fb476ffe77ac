import type { UserAuth } from "../auth/identity.ts";
import { log } from "../log.ts";
import { type ConversationToExport, findConversation, readMessagePage } from "./conversation-source.ts";
import { renderHeader, renderMessage, type TranscriptFormat } from "./render.ts";

/** A piece of an export: a conversation begins (its header is rendered), or more of its text. */
export type TranscriptPiece =
  | { kind: "start"; conversation: ConversationToExport; text: string }
  | { kind: "text"; text: string };

/**
 * The conversations' pieces in order: each one's header and opening, then its messages page by page, so memory
 * stays flat however long they are. The first conversation is checked before this returns (a 404
 * is a JSON error, not a broken stream).
 */
export async function transcriptPieces(
  auth: UserAuth,
  conversationIds: readonly string[],
  format: TranscriptFormat,
): Promise<AsyncGenerator<TranscriptPiece>> {
  const first = conversationIds.length ? await findConversation(auth, conversationIds[0]) : undefined;
  return (async function* () {
    for (let index = 0; index < conversationIds.length; index++) {
      const conversation = index === 0 ? first! : await findConversation(auth, conversationIds[index]);
      const opening = conversation.opening ? renderMessage(conversation.opening, format) : "";
      yield { kind: "start", conversation, text: renderHeader(conversation.header, format, index === 0) + opening };
      for (let afterOrder = 0;;) {
        const page = await readMessagePage(auth, conversation, afterOrder);
        if (page.lastOrder === null) break;
        afterOrder = page.lastOrder;
        yield { kind: "text", text: page.messages.map((message) => renderMessage(message, format)).join("") };
      }
    }
  })();
}

/** The pieces as one stream of bytes, one piece per pull; a failure mid-stream ends it with an error. */
export async function exportTranscript(
  auth: UserAuth,
  conversationIds: readonly string[],
  format: TranscriptFormat,
): Promise<ReadableStream<Uint8Array>> {
  const pieces = await transcriptPieces(auth, conversationIds, format);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.text));
      } catch (error) {
        log.warn("transcript export failed", { error });
        controller.error(error);
      }
    },
  }, { highWaterMark: 0 });
}
