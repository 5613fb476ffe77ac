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
        <span aria-hidden="true">👍</span>
      </button>
      <button
        type="button"
        className="rating-button"
        aria-label="Bad reply"
        aria-pressed={rating === "down"}
        onClick={() => onRate(rating === "down" ? null : "down")}
      >
        <span aria-hidden="true">👎</span>
      </button>
    </span>
  );
}
