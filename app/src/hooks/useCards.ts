import { useCallback, useState } from "react";
import { type Model, StoryvoiceError } from "../../../sdk/index.ts";
import { fileSlug, saveBytesFile, saveTextFile } from "../download.ts";
import { api } from "../services.ts";

/** Largest card file the app sends (the API refuses bodies over 2 MiB; base64 grows a PNG by a third). */
const MAX_CARD_FILE_BYTES = 1_500_000;

/** A file's bytes as base64, in chunks (a spread of a large array overflows the call stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** What a refused card says: the API's issues, one a line. */
function cardProblems(error: unknown): string[] {
  if (error instanceof StoryvoiceError) {
    const issues = error.fieldIssues.map((issue) => issue.message);
    return issues.length > 0 ? issues : [error.message];
  }
  return ["Could not read the file. Is it a Character Card (JSON or PNG)?"];
}

/** Character Cards in (a JSON or PNG file becomes a new model) and out (a download). */
export function useCardImport() {
  const [importing, setImporting] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [existing, setExisting] = useState<Model | null>(null);

  /** Creates a model from the card file; the model, or undefined when refused. */
  const importFile = useCallback(async (file: File, quick: boolean): Promise<Model | undefined> => {
    setProblems([]);
    setExisting(null);
    if (file.size > MAX_CARD_FILE_BYTES) {
      setProblems([`The file is over ${Math.round(MAX_CARD_FILE_BYTES / 1000)} KB: too large for a card.`]);
      return undefined;
    }
    setImporting(true);
    try {
      const isPng = file.type === "image/png" || /\.png$/i.test(file.name);
      if (isPng) return (await api.importCard({ png: await base64Of(file), quick })).model;
      let card: unknown;
      try {
        card = JSON.parse(await file.text());
      } catch {
        setProblems(["The file is not JSON or a PNG card."]);
        return undefined;
      }
      return (await api.importCard({ card: card as Record<string, unknown>, quick })).model;
    } catch (error) {
      if (error instanceof StoryvoiceError && error.status === 409 && error.model) setExisting(error.model);
      else setProblems(cardProblems(error));
    } finally {
      setImporting(false);
    }
  }, []);

  return { importing, problems, existing, importFile };
}

/** Downloads a model as a Character Card V3, JSON or PNG. */
export function useCardExport(model: Model) {
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exportCard = useCallback(async (format: "json" | "png") => {
    setExporting(true);
    setError(null);
    try {
      const name = `${fileSlug(model.entity_name)}-card`;
      if (format === "png") saveBytesFile(`${name}.png`, await api.exportCardPng(model.id), "image/png");
      else saveTextFile(`${name}.json`, JSON.stringify(await api.exportCard(model.id), null, 2), "application/json");
    } catch (failure) {
      setError(`Could not export the card: ${(failure as Error).message}`);
    } finally {
      setExporting(false);
    }
  }, [model]);
  return { exporting, error, exportCard };
}
