import { type FormEvent, useState } from "react";
import type { ChatMessage } from "../hooks/useChat.ts";
import type { useReplyActions } from "../hooks/useReplyActions.ts";

type Replies = ReturnType<typeof useReplyActions>;

/**
 * Under a stored reply: "Rewind to here" (after a confirmation); on the conversation's last reply
 * also "‹ 2/3 ›" between its replies, "Regenerate" (optionally with a hint), "Edit" the reader's
 * message, and "Continue" a reply that was cut off.
 */
export function ReplyActions({ message, messages, replies, disabled }: {
  message: ChatMessage;
  messages: ChatMessage[];
  replies: Replies;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState<"hint" | "edit" | "rewind" | null>(null);
  const [hint, setHint] = useState("");
  const chatId = message.chatId;
  const at = messages.indexOf(message);
  const question = messages[at - 1];
  const [draft, setDraft] = useState(question?.text ?? "");
  if (message.role !== "assistant" || !chatId || message.streaming) return null;

  const last = replies.lastChatId === chatId;
  const off = disabled || replies.busy;
  const list = last ? replies.alternatives : [];
  const chosen = list.findIndex((item) => item.chosen);
  // An opened form or confirmation is brought into view: it opens below the last reply.
  const reveal = (node: HTMLElement | null) => node?.scrollIntoView?.({ block: "nearest" });
  const toggle = (what: typeof open) => setOpen((current) => (current === what ? null : what));
  const submitHint = (event: FormEvent) => {
    event.preventDefault();
    setOpen(null);
    void replies.regenerate(chatId, hint.trim() || undefined);
    setHint("");
  };
  const submitEdit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    setOpen(null);
    void replies.edit(chatId, draft.trim());
  };

  return (
    <span className="reply-actions" role="group" aria-label="Reply actions">
      {list.length > 1 && chosen >= 0 && (
        <span className="reply-switcher">
          <button type="button" className="play-button" aria-label="Previous reply" disabled={off || chosen === 0}
            onClick={() => void replies.choose(chatId, list[chosen - 1].alternativeId)}>‹</button>
          <span role="status" aria-label={`Reply ${chosen + 1} of ${list.length}`}>{chosen + 1}/{list.length}</span>
          <button type="button" className="play-button" aria-label="Next reply" disabled={off || chosen === list.length - 1}
            onClick={() => void replies.choose(chatId, list[chosen + 1].alternativeId)}>›</button>
        </span>
      )}
      {last && (
        <>
          <button type="button" className="play-button" disabled={off} onClick={() => void replies.regenerate(chatId)}>Regenerate</button>
          <button type="button" className="play-button" disabled={off} aria-expanded={open === "hint"} onClick={() => toggle("hint")}>Hint…</button>
          <button type="button" className="play-button" disabled={off} aria-expanded={open === "edit"}
            onClick={() => { setDraft(question?.text ?? ""); toggle("edit"); }}>Edit</button>
          <button type="button" className="play-button" disabled={off} onClick={() => void replies.continueReply(chatId)}>Continue</button>
        </>
      )}
      <button type="button" className="play-button" disabled={off} aria-expanded={open === "rewind"} onClick={() => toggle("rewind")}>
        Rewind to here
      </button>
      {replies.busy && last && <span role="status" className="muted">Working…</span>}
      {open === "hint" && (
        <form className="reply-form" ref={reveal} onSubmit={submitHint}>
          <label>
            Hint for the new reply
            <input value={hint} maxLength={300} onChange={(event) => setHint(event.target.value)} placeholder="Shorter, angrier…" />
          </label>
          <button type="submit" className="button primary small" disabled={off}>Regenerate with hint</button>
        </form>
      )}
      {open === "edit" && (
        <form className="reply-form" ref={reveal} onSubmit={submitEdit}>
          <label>
            Edit your message
            <textarea value={draft} maxLength={4000} rows={3} onChange={(event) => setDraft(event.target.value)} />
          </label>
          <button type="submit" className="button primary small" disabled={off || !draft.trim()}>Send edit</button>
          <button type="button" className="button ghost small" onClick={() => setOpen(null)}>Cancel</button>
        </form>
      )}
      {open === "rewind" && (
        <span className="reply-form" ref={reveal} role="group" aria-label="Confirm rewind">
          <span>Delete this exchange and everything after it?</span>
          <button type="button" className="button danger small" disabled={off} onClick={() => { setOpen(null); void replies.rewind(chatId); }}>
            Yes, rewind
          </button>
          <button type="button" className="button ghost small" onClick={() => setOpen(null)}>Cancel</button>
        </span>
      )}
      {replies.error?.chatId === chatId && <span className="form-error" role="alert">{replies.error.message}</span>}
    </span>
  );
}
