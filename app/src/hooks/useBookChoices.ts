import { useEffect, useState } from "react";
import { api } from "../services.ts";

/** A book a new persona may join: its id and the fields a create sends as `bookInfo`. */
export interface BookChoice {
  bookId: string;
  bookInfo: { title: string; author?: string; description?: string; genre?: string };
}

const text = (value: unknown) => (typeof value === "string" && value.trim() ? value : undefined);

/** The books of the personas the reader can see (theirs and public ones, the latest 100), by title. */
export function useBookChoices(): BookChoice[] {
  const [books, setBooks] = useState<BookChoice[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    api.listModels({ limit: 100 }, controller.signal).then((page) => {
      const byId = new Map<string, BookChoice>();
      for (const model of page.models) {
        const info = (model.book_info ?? {}) as Record<string, unknown>;
        if (byId.has(model.book_id)) continue;
        byId.set(model.book_id, {
          bookId: model.book_id,
          bookInfo: {
            title: text(info.title) ?? model.book_id,
            author: text(info.author),
            description: text(info.description),
            genre: text(info.genre),
          },
        });
      }
      setBooks([...byId.values()].sort((a, b) => a.bookInfo.title.localeCompare(b.bookInfo.title)));
    }, () => setBooks([]));
    return () => controller.abort();
  }, []);
  return books;
}
