import { type FormEvent, type KeyboardEvent, type ReactNode, useState } from "react";
import { counterShown, isOverLimit, LengthCounter } from "./LengthCounter.tsx";

/** The longest message the chat endpoints take (MAX_MESSAGE_CHARS on the server). */
export const MAX_MESSAGE_CHARS = 4000;

/**
 * The message box under every chat: Enter sends (Shift+Enter is a new line), the draft clears at
 * once and comes back when `onSend` answers `false` (the message did not go). A message past the
 * limit is counted and held back, never cut.
 */
export function ChatComposer(props: {
  id: string;
  label: string;
  placeholder: string;
  sending: boolean;
  /** A reason the box may not send yet (no personas picked), besides an empty draft. */
  blocked?: boolean;
  onSend: (text: string) => unknown;
  /** Stops the reply being written: a Stop button takes Send's place while sending. */
  onStop?: () => void;
  /** Buttons before Send (the voice toggle). */
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState("");
  const over = isOverLimit(draft, MAX_MESSAGE_CHARS);
  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!draft.trim() || props.blocked || over) return;
    const text = draft;
    setDraft("");
    if ((await props.onSend(text)) === false) setDraft(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) void send(event);
  };
  return (
    <form className="composer" onSubmit={(event) => void send(event)}>
      <label htmlFor={props.id} className="visually-hidden">{props.label}</label>
      <textarea
        id={props.id}
        rows={1}
        value={draft}
        placeholder={props.placeholder}
        aria-invalid={over || undefined}
        aria-describedby={counterShown(draft, MAX_MESSAGE_CHARS) ? `${props.id}-count` : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <LengthCounter id={`${props.id}-count`} text={draft} max={MAX_MESSAGE_CHARS} />
      {props.children}
      {props.sending && props.onStop
        ? <button type="button" className="button primary" onClick={props.onStop}>Stop</button>
        : (
          <button type="submit" className="button primary" disabled={props.sending || !draft.trim() || props.blocked || over}>
            {props.sending ? "Sending…" : "Send"}
          </button>
        )}
    </form>
  );
}
