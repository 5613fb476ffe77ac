import { useId, useState } from "react";
import type { PendingCard } from "../hooks/useCards.ts";
import { type BookChoice, useBookChoices } from "../hooks/useBookChoices.ts";
import { BookChooser, type BookPick, chosenBook } from "./BookChooser.tsx";
import { ReplyText } from "./ReplyText.tsx";
import "./card-preview.css";

/**
 * A card before it becomes a persona: its picture, name, greeting and description as they will
 * read, and the book it joins; nothing is created until the reader says so.
 */
export function CardPreviewPanel({ card, busy, onCreate, onCancel }: {
  card: PendingCard;
  busy: boolean;
  onCreate: (book: BookChoice, quick: boolean) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const { preview } = card;
  const books = useBookChoices();
  const [pick, setPick] = useState<BookPick>({ kind: "card" });
  const [quick, setQuick] = useState(true);
  const book = chosenBook(pick, preview.book, books);
  const initial = preview.name.slice(0, 1).toUpperCase();
  return (
    <section className="card-preview" aria-labelledby={`${id}-name`}>
      <div className="card-preview-head">
        {card.pictureUrl
          ? <img className="card-preview-picture" src={card.pictureUrl} alt={`${preview.name}'s card picture`} />
          : <span className="avatar" aria-hidden="true">{initial}</span>}
        <div>
          <h3 id={`${id}-name`}>{preview.name}</h3>
          <p className="muted">
            {preview.type === "author" ? "Author" : "Character"}
            {preview.examples > 0 && ` · ${preview.examples} example conversation${preview.examples === 1 ? "" : "s"} from the card`}
          </p>
        </div>
      </div>
      {preview.greeting && (
        <figure className="card-preview-greeting">
          <figcaption className="muted">Greeting</figcaption>
          <div className="bubble"><ReplyText text={preview.greeting} /></div>
        </figure>
      )}
      <details className="card-preview-description">
        <summary>Description</summary>
        <p>{preview.description}</p>
      </details>
      <BookChooser cardBook={preview.book} books={books} pick={pick} onPick={setPick} />
      <label className="choice">
        <input type="checkbox" checked={quick} onChange={(event) => setQuick(event.target.checked)} />
        Quick: fewer training examples, ready sooner
      </label>
      <div className="card-preview-actions">
        <button type="button" className="button primary" disabled={busy || !book} onClick={() => book && onCreate(book, quick)}>
          {busy ? "Creating…" : `Create ${preview.name}`}
        </button>
        <button type="button" className="button ghost" disabled={busy} onClick={onCancel}>Choose another card</button>
      </div>
    </section>
  );
}
