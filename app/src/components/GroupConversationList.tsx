import { type MouseEvent, type ReactNode, useEffect, useRef } from "react";
import { timeAgo } from "../format.ts";
import type { GroupConversationSummary } from "../hooks/useGroupChat.ts";
import { hrefFor } from "../router.ts";

/**
 * Earlier group conversations, newest first; one reopens on a tap. On a phone it is a drawer over
 * the chat, like the one-to-one list: `open` shows it, its close button and a tap outside call
 * `onClose`, and its links go through `onFollow` (so the drawer's history entry comes off first).
 */
export function GroupConversationList(props: {
  conversations: GroupConversationSummary[];
  loading: boolean;
  current?: string;
  newHref?: string;
  open?: boolean;
  onClose?: () => void;
  onFollow?: (href: string) => void;
  /** Per conversation, e.g. its export control. */
  actions?: (conversation: GroupConversationSummary) => ReactNode;
  /** A failure to say above the list (an export that did not work). */
  notice?: string | null;
}) {
  const nav = useRef<HTMLElement>(null);
  // Opened as a drawer, it takes the focus, so the keyboard starts inside it.
  useEffect(() => {
    if (props.open) nav.current?.focus({ preventScroll: true });
  }, [props.open]);
  /** A plain click follows the link through `onFollow`; a new tab or window is left to the browser. */
  const follow = (href: string) => (event: MouseEvent) => {
    if (!props.onFollow || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    props.onFollow(href);
  };
  return (
    <>
      {props.open && props.onClose && <div className="drawer-backdrop" aria-hidden="true" onClick={props.onClose} />}
      <nav className="history" aria-label="Group conversations" ref={nav} tabIndex={-1}>
        <div className="history-head">
          <h2>Group chats</h2>
          {props.onClose && (
            <button type="button" className="button ghost small history-close" onClick={props.onClose}>Close</button>
          )}
          {props.newHref && <a className="button ghost small" href={props.newHref} onClick={follow(props.newHref)}>New group chat</a>}
        </div>
        {props.notice && <p className="form-error" role="alert">{props.notice}</p>}
        {props.loading && props.conversations.length === 0 && <p className="muted">Loading…</p>}
        {!props.loading && props.conversations.length === 0 && <p className="muted">No group chats yet.</p>}
        <ul>
          {props.conversations.map((conversation) => {
            const href = hrefFor.group(conversation.conversationId);
            return (
              <li key={conversation.conversationId}>
                <a
                  id={`conversation-${conversation.conversationId}`}
                  className="history-item"
                  href={href}
                  onClick={follow(href)}
                  aria-current={conversation.conversationId === props.current ? "page" : undefined}
                >
                  <span className="history-first">{conversation.participants.map((participant) => participant.name).join(", ") || "…"}</span>
                  <span className="muted history-when">
                    {conversation.messageCount} {conversation.messageCount === 1 ? "message" : "messages"} · {timeAgo(conversation.startedAt)}
                  </span>
                </a>
                {props.actions?.(conversation)}
              </li>
            );
          })}
        </ul>
      </nav>
    </>
  );
}
