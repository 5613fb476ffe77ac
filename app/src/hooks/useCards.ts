import { useCallback, useState } from "react";
import { type CardPreview, type Model, StoryvoiceError } from "../../../sdk/index.ts";
import { fileSlug, saveBytesFile, saveTextFile } from "../download.ts";
import { ImportRefused, useImport } from "./useImport.ts";
import { api } from "../services.ts";
import type { BookChoice } from "./useBookChoices.ts";

/** Largest card file the app sends: the API takes card PNGs up to 8 MiB (the picture is most of it). */
const MAX_CARD_FILE_BYTES = 8 * 1024 * 1024;

/** A file's bytes as base64, in chunks (a spread of a large array overflows the call stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** A card file as the API takes it: a PNG as base64, else the JSON inside. */
async function cardInput(file: File): Promise<{ png: string } | { card: Record<string, unknown> }> {
  if (file.size > MAX_CARD_FILE_BYTES) {
    throw new ImportRefused(`The file is over ${MAX_CARD_FILE_BYTES / 1024 / 1024} MiB: too large for a card.`);
  }
  if (file.type === "image/png" || /\.png$/i.test(file.name)) return { png: await base64Of(file) };
  try {
    return { card: JSON.parse(await file.text()) as Record<string, unknown> };
  } catch {
    throw new ImportRefused("The file is not JSON or a PNG card.");
  }
}

/** A card read and previewed, waiting for the reader to choose its book. */
export interface PendingCard {
  input: Awaited<ReturnType<typeof cardInput>>;
  preview: CardPreview["preview"];
  /** The PNG itself, shown as the card's picture (an object URL), or null for a JSON card. */
  pictureUrl: string | null;
}

/**
 * Character Cards in, in two steps: a file is read and previewed (nothing is written), then the
 * reader's chosen book creates the model (or names the one that exists).
 */
export function useCardImport() {
  const [existing, setExisting] = useState<Model | null>(null);
  const [pending, setPending] = useState<PendingCard | null>(null);
  const handled = (error: unknown) => {
    if (!(error instanceof StoryvoiceError && error.status === 409 && error.model)) return false;
    setExisting(error.model);
    return true;
  };
  const unreadable = "Could not read the file. Is it a Character Card (JSON or PNG)?";
  const discard = useCallback(() => {
    setPending((card) => {
      if (card?.pictureUrl) URL.revokeObjectURL(card.pictureUrl);
      return null;
    });
  }, []);
  const reading = useImport(
    async (file: File): Promise<PendingCard> => {
      setExisting(null);
      discard();
      const input = await cardInput(file);
      const { preview } = await api.previewCard(input);
      const card = { input, preview, pictureUrl: "png" in input ? URL.createObjectURL(file) : null };
      setPending(card);
      return card;
    },
    { unreadable, handled },
  );
  const creating = useImport(
    async (book: BookChoice, quick: boolean): Promise<Model> => {
      setExisting(null);
      if (!pending) throw new ImportRefused("Choose a card file first.");
      const { model } = await api.importCard({ ...pending.input, quick, bookId: book.bookId, bookInfo: book.bookInfo });
      discard();
      return model;
    },
    { unreadable, handled },
  );
  return {
    busy: reading.importing || creating.importing,
    reading: reading.importing,
    problems: [...reading.problems, ...creating.problems],
    existing,
    pending,
    readFile: reading.start,
    create: creating.start,
    discard,
  };
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
