import { useState } from "react";
import { BookUpload } from "./BookUpload.tsx";

/**
 * The owner's "Book text" on a model's screen: folded away until opened, and folded again once the
 * upload is stored, saying what was stored, so the chat keeps its room.
 */
export function BookTextPanel({ bookId, title }: { bookId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const [stored, setStored] = useState<string | null>(null);
  return (
    <details className="book-text-panel" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Book text{stored && <span className="muted book-text-stored"> · {stored}</span>}</summary>
      <BookUpload
        bookId={bookId}
        title={title}
        onUploaded={(book) => {
          setStored(`${book.chapters.length} chapters uploaded`);
          setOpen(false);
        }}
      />
    </details>
  );
}
