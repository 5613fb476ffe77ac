import { type ReactNode, useEffect, useRef } from "react";
import type { useOverlay } from "../hooks/useOverlay.ts";

type Overlay = ReturnType<typeof useOverlay>;

/** The button that opens the model menu on a phone (hidden where the tools sit beside the chat). */
export function ModelMenuButton({ overlay }: { overlay: Overlay }) {
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  // Focus comes back to the button when the sheet closes.
  useEffect(() => {
    if (!overlay.open && wasOpen.current) button.current?.focus();
    wasOpen.current = overlay.open;
  }, [overlay.open]);
  return (
    <button
      ref={button}
      type="button"
      className="button ghost small icon-button model-menu-toggle"
      aria-expanded={overlay.open}
      aria-controls="model-menu"
      onClick={overlay.toggle}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="currentColor">
        <circle cx="5" cy="12" r="2" /><circle cx="12" cy="12" r="2" /><circle cx="19" cy="12" r="2" />
      </svg>
      <span className="visually-hidden">Model menu</span>
    </button>
  );
}

/**
 * A chat's model tools (sharing, voice, delete, examples, card, book text): beside the chat on a
 * wide screen; on a phone behind one button, as a sheet over the chat that Escape, a tap outside,
 * its close button or Back puts away, so the conversation keeps the screen.
 */
export function ModelMenu({ overlay, name, children }: { overlay: Overlay; name: string; children: ReactNode }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (overlay.open) panel.current?.focus();
  }, [overlay.open]);
  return (
    <>
      {overlay.open && <div className="sheet-backdrop" aria-hidden="true" onClick={() => overlay.close()} />}
      <div
        ref={panel}
        id="model-menu"
        className={`model-tools${overlay.open ? " open" : ""}`}
        role={overlay.open ? "dialog" : undefined}
        aria-label={overlay.open ? `${name}: model menu` : undefined}
        tabIndex={-1}
      >
        {overlay.open && (
          <div className="sheet-head">
            <h2>{name}</h2>
            <button type="button" className="button ghost small" onClick={() => overlay.close()}>Close</button>
          </div>
        )}
        {children}
      </div>
    </>
  );
}
