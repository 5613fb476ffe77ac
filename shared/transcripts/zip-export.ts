import { Zip, ZipDeflate } from "fflate";
import type { UserAuth } from "../auth/identity.ts";
import { log } from "../log.ts";
import { transcriptPieces } from "./export.ts";

/**
 * Several conversations as JSON lines, one `.jsonl` per conversation in a zip: SillyTavern reads
 * only line 0 of a chat file as its header, so a second header in one file would load as a message.
 * Streamed: each piece is deflated as it is read, so memory stays flat.
 */
export async function exportTranscriptZip(auth: UserAuth, conversationIds: readonly string[]): Promise<ReadableStream<Uint8Array>> {
  const pieces = await transcriptPieces(auth, conversationIds, "jsonl");
  const encoder = new TextEncoder();
  let file: ZipDeflate | undefined;
  let zip: Zip | undefined;
  let emitted = false;
  let finished = false;
  const endFile = () => file?.push(new Uint8Array(0), true);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length) {
          controller.enqueue(chunk);
          emitted = true;
        }
        if (final) {
          finished = true;
          controller.close();
        }
      });
    },
    async pull() {
      // A pull that enqueues nothing is not called again: read on until the deflater gives bytes.
      emitted = false;
      try {
        while (!emitted && !finished) {
          const next = await pieces.next();
          if (next.done) {
            endFile();
            zip!.end();
            return;
          }
          const piece = next.value;
          if (piece.kind === "start") {
            endFile();
            const header = piece.conversation.header;
            file = new ZipDeflate(chatFileName(header.create_date, header.chat_metadata.storyvoice.conversationId), { level: 6 });
            zip!.add(file);
          }
          file!.push(encoder.encode(piece.text));
        }
      } catch (error) {
        log.warn("transcript export failed", { error });
        zip?.terminate();
        throw error;
      }
    },
  }, { highWaterMark: 0 });
}

/**
 * `2026-12-01T20-25-53.123Z-<conversation>.jsonl`: sorts by when it started (to the millisecond, so
 * two conversations begun in one second keep their order), and is unique.
 */
export function chatFileName(createDate: string, conversationId: string): string {
  return `${createDate.slice(0, 23).replaceAll(":", "-")}Z-${conversationId}.jsonl`;
}
