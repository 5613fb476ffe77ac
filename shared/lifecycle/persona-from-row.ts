import type { PersonaInput } from "../personas/types.ts";

/**
 * Rebuilds the persona from the stored row, so any worker (the request's background task, the
 * sync after a crash) can resume creation from the database alone.
 */
export function personaFromRow(row: {
  type: string;
  entity_name: string;
  description: string | null;
  book_info: unknown;
}): PersonaInput {
  const book = row.book_info as { title?: string; author?: string; description?: string; genre?: string };
  const bookTitle = book.title ?? "an untitled book";
  if (row.type === "author") {
    return {
      kind: "author",
      authorName: row.entity_name,
      bookTitle,
      bookDescription: [book.description, row.description].filter(Boolean).join("\n\n") || undefined,
      genre: book.genre,
      bookAuthor: book.author,
    };
  }
  return {
    kind: "character",
    characterName: row.entity_name,
    characterDescription: row.description ?? `A character in ${bookTitle}.`,
    bookTitle,
    bookAuthor: book.author ?? "an unknown author",
    bookDescription: book.description,
    genre: book.genre,
  };
}
