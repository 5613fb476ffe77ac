import type { UserAuth } from "../auth/identity.ts";
import { log } from "../log.ts";
import { type ConversationToExport, findConversation, readMessagePage } from "./conversation-source.ts";
import { renderHeader, renderMessage, type TranscriptFormat } from "./render.ts";

/**
 * A transcript as a stream: each conversation's header, then its messages page by page, so memory
 * stays flat however long the conversations are. The conversations are checked before the first
 * byte (a 404 is a JSON error, not a broken stream); a failure mid-stream ends it with an error.
 */
export async function exportTranscript(
  auth: UserAuth,
  conversationIds: readonly string[],
  format: TranscriptFormat,
): Promise<ReadableStream<Uint8Array>> {
  const first = conversationIds.length ? await findConversation(auth, conversationIds[0]) : undefined;
  const encoder = new TextEncoder();
  let index = 0;
  let current: ConversationToExport | undefined = first;
  let afterOrder: number | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (current) {
          if (afterOrder === null) {
            afterOrder = 0;
            controller.enqueue(encoder.encode(renderHeader(current.header, format, index === 0)));
            return;
          }
          const page = await readMessagePage(auth, current, afterOrder);
          if (page.lastOrder !== null) {
            afterOrder = page.lastOrder;
            controller.enqueue(encoder.encode(page.messages.map((message) => renderMessage(message, format)).join("")));
            return;
          }
          // This conversation is done: on to the next one, if any.
          index++;
          afterOrder = null;
          current = index < conversationIds.length ? await findConversation(auth, conversationIds[index]) : undefined;
        }
        controller.close();
      } catch (error) {
        log.warn("transcript export failed", { error });
        controller.error(error);
      }
    },
  }, { highWaterMark: 0 });
}
