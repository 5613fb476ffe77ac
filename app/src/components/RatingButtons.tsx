/** A thumb drawn as a line icon (no emoji font needed): up, or turned over for down. */
function Thumb({ down }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"
      fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round"
      style={down ? { transform: "rotate(180deg)" } : undefined}>
      <path d="M7 10v11H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1h3z" />
      <path d="M7 10l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8a2 2 0 0 1-2 1.7H7" />
    </svg>
  );
}

/** A reply's rating: up, down, or none. */
export type Rating = "up" | "down" | null;

/**
 * Thumbs up and down under a reply. Each is a toggle (`aria-pressed`): pressing the chosen one
 * again takes the rating back.
 */
export function RatingButtons({ rating, onRate }: { rating: Rating; onRate: (rating: Rating) => void }) {
  return (
    <span className="rating-buttons" role="group" aria-label="Rate this reply">
      <button
        type="button"
        className="rating-button"
        aria-label="Good reply"
        aria-pressed={rating === "up"}
        onClick={() => onRate(rating === "up" ? null : "up")}
      >
        <Thumb />
      </button>
      <button
        type="button"
        className="rating-button"
        aria-label="Bad reply"
        aria-pressed={rating === "down"}
        onClick={() => onRate(rating === "down" ? null : "down")}
      >
        <Thumb down />
      </button>
    </span>
  );
}
