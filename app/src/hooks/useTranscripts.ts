import { useCallback, useState } from "react";
import { StoryvoiceError, type TranscriptFormat } from "../../../sdk/index.ts";
import { fileSlug, saveTextFile } from "../download.ts";
import { api } from "../services.ts";

export const TRANSCRIPT_FORMATS: { format: TranscriptFormat; label: string; extension: string; type: string }[] = [
  { format: "jsonl", label: "JSONL", extension: "jsonl", type: "application/x-ndjson" },
  { format: "txt", label: "TXT", extension: "txt", type: "text/plain" },
  { format: "md", label: "Markdown", extension: "md", type: "text/markdown" },
];

/** What an import refusal says, one line per bad transcript line when the API names them. */
function importProblems(error: unknown): string[] {
  if (error instanceof StoryvoiceError) {
    const lines = error.fieldIssues.map((issue) => issue.message);
    return lines.length > 0 ? lines : [error.message];
  }
  return ["Could not import the file. Please try again."];
}

/** A conversation's transcript out as a file (JSONL, text, Markdown), and a JSONL transcript in. */
export function useTranscripts() {
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [importErrors, setImportErrors] = useState<string[]>([]);

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

  /** Imports the file as a new conversation with the model; its id, or undefined when refused. */
  const importFile = useCallback(async (modelId: string, file: File): Promise<string | undefined> => {
    setImporting(true);
    setImportErrors([]);
    try {
      return (await api.importTranscript(modelId, await file.text())).conversationId;
    } catch (error) {
      setImportErrors(importProblems(error));
    } finally {
      setImporting(false);
    }
  }, []);

  return { exporting, exportError, exportConversation, importing, importErrors, importFile };
}
