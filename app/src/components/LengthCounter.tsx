/** From this share of the limit on, the counter shows: out of the way until it matters. */
const SHOW_FROM = 0.8;

/** Whether the counter shows (its id may be referenced only then). */
export const counterShown = (text: string, max: number) => text.length >= max * SHOW_FROM;

export const isOverLimit = (text: string, max?: number) => max !== undefined && text.length > max;

/**
 * Characters used of a field's limit, shown near the limit and said plainly past it. Fields are
 * never cut to fit (a browser's `maxlength` drops a long paste's end without a word): the reader
 * sees the count and shortens, and the server refuses what is still too long.
 */
export function LengthCounter({ id, text, max }: { id: string; text: string; max: number }) {
  if (!counterShown(text, max)) return null;
  const over = text.length - max;
  return (
    <span id={id} className={`length-counter${over > 0 ? " over" : ""}`} aria-live="polite">
      {text.length.toLocaleString()} / {max.toLocaleString()}
      {over > 0 && ` · ${over.toLocaleString()} over the limit`}
    </span>
  );
}
