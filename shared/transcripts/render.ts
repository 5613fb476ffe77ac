import type { TranscriptHeader, TranscriptMessage } from "./lines.ts";

/** The formats a transcript is exported in. */
export type TranscriptFormat = "jsonl" | "txt" | "md";

export const CONTENT_TYPES: Record<TranscriptFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/** `2026-12-01T20:25:53.932Z` -> `2026-12-01 20:25 UTC`, for people. */
function readableTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "";
}

/** A heading line for people: who the conversation is with and when it started. */
function title(header: TranscriptHeader): string {
  const kind = header.chat_metadata.storyvoice.kind === "group" ? "Group conversation with" : "Conversation with";
  return `${kind} ${header.character_name}`;
}

/** The text that opens one conversation of a transcript in `format`. */
export function renderHeader(header: TranscriptHeader, format: TranscriptFormat, first: boolean): string {
  if (format === "jsonl") return `${JSON.stringify(header)}\n`;
  const gap = first ? "" : "\n";
  if (format === "md") return `${gap}# ${title(header)}\n\n*Started ${readableTime(header.create_date)}*\n\n`;
  return `${gap}${title(header)}\nStarted ${readableTime(header.create_date)}\n\n`;
}

/** One message of a transcript in `format`. */
export function renderMessage(message: TranscriptMessage, format: TranscriptFormat): string {
  if (format === "jsonl") return `${JSON.stringify(message)}\n`;
  if (format === "md") {
    // A message is prose: keep its paragraphs, and quote nothing that would break the layout.
    return `**${message.name}** · ${readableTime(message.send_date)}\n\n${message.mes}\n\n`;
  }
  return `${message.name} (${readableTime(message.send_date)}): ${message.mes}\n\n`;
}
