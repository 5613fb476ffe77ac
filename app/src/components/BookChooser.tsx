import { useId } from "react";
import type { BookChoice } from "../hooks/useBookChoices.ts";

/** `card`: the card's own book; `new`: one the reader names; else an existing book's id. */
export type BookPick = { kind: "card" } | { kind: "new"; title: string } | { kind: "existing"; bookId: string };

/** A book id from a title, in any script (a title of symbols only gets a plain "book"). */
export function bookIdFor(title: string): string {
  const slug = title.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "").slice(0, 80);
  return slug || "book";
}

/** The book a pick stands for; null while a new book has no title yet. */
export function chosenBook(pick: BookPick, cardBook: BookChoice, books: BookChoice[]): BookChoice | null {
  if (pick.kind === "card") return cardBook;
  if (pick.kind === "existing") return books.find((book) => book.bookId === pick.bookId) ?? null;
  const title = pick.title.trim();
  return title ? { bookId: bookIdFor(title), bookInfo: { ...cardBook.bookInfo, title } } : null;
}

/**
 * Which book the card's persona joins: the card's own, one of the books the reader can see (so
 * it joins that book's group chats), or a new one the reader names.
 */
export function BookChooser({ cardBook, books, pick, onPick }: {
  cardBook: BookChoice;
  books: BookChoice[];
  pick: BookPick;
  onPick: (pick: BookPick) => void;
}) {
  const id = useId();
  const others = books.filter((book) => book.bookId !== cardBook.bookId);
  const value = pick.kind === "existing" ? `book:${pick.bookId}` : pick.kind;
  const picked = (next: string) => {
    if (next === "card") onPick({ kind: "card" });
    else if (next === "new") onPick({ kind: "new", title: "" });
    else onPick({ kind: "existing", bookId: next.slice("book:".length) });
  };
  return (
    <div className="book-chooser">
      <div className="field">
        <label htmlFor={`${id}-book`}>Book to join</label>
        <select id={`${id}-book`} value={value} onChange={(event) => picked(event.target.value)}>
          <option value="card">{cardBook.bookInfo.title} (from the card)</option>
          {others.length > 0 && (
            <optgroup label="Books you can see">
              {others.map((book) => <option key={book.bookId} value={`book:${book.bookId}`}>{book.bookInfo.title}</option>)}
            </optgroup>
          )}
          <option value="new">A new book…</option>
        </select>
      </div>
      {pick.kind === "new" && (
        <div className="field">
          <label htmlFor={`${id}-title`}>New book title</label>
          <input
            id={`${id}-title`}
            type="text"
            maxLength={300}
            value={pick.title}
            onChange={(event) => onPick({ kind: "new", title: event.target.value })}
          />
        </div>
      )}
    </div>
  );
}
