import { type ReactNode, useEffect, useState } from "react";

const key = (id: string) => `storyvoice.banner-read.${id}`;

/** The state whose banner this reader saw last time (read once, when the screen opens). */
function seenBefore(id: string): string | null {
  try {
    return window.localStorage.getItem(key(id));
  } catch {
    return null;
  }
}

/**
 * A banner shown in full the first time it says something (per model and state), then folded to
 * one line once read: on the next visit, or once the conversation starts (`read`). "More" opens it.
 */
export function BannerFold({ id, state, read, children }: { id: string; state: string; read?: boolean; children: ReactNode }) {
  const [seen] = useState(() => seenBefore(id));
  const [open, setOpen] = useState<boolean | null>(null);
  useEffect(() => {
    try {
      window.localStorage.setItem(key(id), state);
    } catch {
      // Private mode: the banner simply stays open on later visits.
    }
  }, [id, state]);
  const folded = open === null ? seen === state || Boolean(read) : !open;
  return (
    <div className={`banner-fold${folded ? " folded" : ""}`}>
      {children}
      <button type="button" className="banner-fold-toggle" aria-expanded={!folded} onClick={() => setOpen(folded)}>
        {folded ? "More" : "Less"}<span className="visually-hidden"> about the training status</span>
      </button>
    </div>
  );
}
