import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Something laid over the screen (the history drawer, the model menu) that closes the ways people
 * expect: its close button, Escape, a tap outside, and the browser's Back (which would otherwise
 * leave the screen). Opening adds a history entry with the same address; Back pops it.
 */
export function useOverlay() {
  const [open, setOpen] = useState(false);
  const pushed = useRef(false);
  /** What to do once Back has taken our entry off (an address change must wait for that). */
  const then = useRef<(() => void) | null>(null);

  const show = useCallback(() => {
    if (!pushed.current) {
      window.history.pushState({ ...(window.history.state ?? {}), overlay: true }, "");
      pushed.current = true;
    }
    setOpen(true);
  }, []);

  /** Closes; `after` runs once the history is back where it was (at once when nothing was pushed). */
  const close = useCallback((after?: () => void) => {
    setOpen(false);
    // Take our entry back off, so a later Back leaves the screen as it should.
    if (pushed.current) {
      then.current = after ?? null;
      window.history.back();
    } else {
      after?.();
    }
  }, []);

  useEffect(() => {
    const onPop = () => {
      if (!pushed.current) return;
      pushed.current = false;
      setOpen(false);
      const after = then.current;
      then.current = null;
      after?.();
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, close]);

  // Leaving the screen with the overlay open drops its entry's meaning; nothing to undo then.
  useEffect(() => () => { pushed.current = false; }, []);

  return { open, show, close, toggle: () => (open ? close() : show()) };
}
