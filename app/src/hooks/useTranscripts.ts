import { useCallback, useState } from "react";
import type { TranscriptFormat } from "../../../sdk/index.ts";
import { fileSlug, saveTextFile } from "../download.ts";
import { api } from "../services.ts";
import { useImport } from "./useImport.ts";

export const TRANSCRIPT_FORMATS: { format: TranscriptFormat; label: string; extension: string; type: string }[] = [
  { format: "jsonl", label: "JSONL", extension: "jsonl", type: "application/x-ndjson" },
  { format: "txt", label: "TXT", extension: "txt", type: "text/plain" },
  { format: "md", label: "Markdown", extension: "md", type: "text/markdown" },
];

/** A conversation's transcript out as a file (JSONL, text, Markdown), and a JSONL transcript in. */
export function useTranscripts() {
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const { importing, problems: importErrors, start: importFile } = useImport(
    /** Imports the file as a new conversation with the model; its id, or undefined when refused. */
    async (modelId: string, file: File) => (await api.importTranscript(modelId, await file.text())).conversationId,
    { unreadable: "Could not import the file. Please try again." },
  );

  const exportConversation = useCallback(async (conversationId: string, format: TranscriptFormat, title: string) => {
    const kind = TRANSCRIPT_FORMATS.find((known) => known.format === format)!;
    setExporting(conversationId);
    setExportError(null);
    try {
      const text = await api.exportTranscript({ conversationId }, format);
      saveTextFile(`${fileSlug(title)}-${conversationId.slice(0, 8)}.${kind.extension}`, text, kind.type);
    } catch (error) {
      setExportError(`Could not export it: ${(error as Error).message}`);
    } finally {
      setExporting(null);
    }
  }, []);

  return { exporting, exportError, exportConversation, importing, importErrors, importFile };
}
