import { type FormEvent, type KeyboardEvent, type ReactNode, useState } from "react";

/**
 * The message box under every chat: Enter sends (Shift+Enter is a new line), the draft clears at
 * once and comes back when `onSend` answers `false` (the message did not go).
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
  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!draft.trim() || props.blocked) return;
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
        maxLength={4000}
        placeholder={props.placeholder}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {props.children}
      {props.sending && props.onStop
        ? <button type="button" className="button primary" onClick={props.onStop}>Stop</button>
        : (
          <button type="submit" className="button primary" disabled={props.sending || !draft.trim() || props.blocked}>
            {props.sending ? "Sending…" : "Send"}
          </button>
        )}
    </form>
  );
}
