import { type ReactNode, useEffect, useRef, useState } from "react";
import type { Conversation } from "../../../sdk/index.ts";
import { timeAgo } from "../format.ts";
import { ConversationRename } from "./ConversationRename.tsx";

/** Conversations whose name or messages contain every word searched for (case and accents aside). */
export function matchingConversations(conversations: Conversation[], search: string): Conversation[] {
  const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return conversations;
  return conversations.filter((conversation) => {
    const text = fold([conversation.title ?? "", ...conversation.messages.map((exchange) => `${exchange.user}\n${exchange.assistant}`)].join("\n"));
    return words.every((word) => text.includes(word));
  });
}

/**
 * Earlier conversations with this model, newest first; one opens on a tap. On a phone it is a
 * drawer over the chat: `open` shows it, and its close button and a tap outside call `onClose`.
 */
export function ConversationList(props: {
  conversations: Conversation[];
  loading: boolean;
  current?: string;
  onOpen: (conversation: Conversation) => void;
  onNew: () => void;
  open?: boolean;
  onClose?: () => void;
  /** Beside "New conversation", e.g. the transcript import. */
  tools?: ReactNode;
  /** Per conversation, e.g. its export control. */
  actions?: (conversation: Conversation) => ReactNode;
  /** A failure to say above the list (an export that did not work). */
  notice?: string | null;
  /** Names a conversation; answers what went wrong, or null. */
  onRename?: (conversation: Conversation, title: string) => Promise<string | null>;
}) {
  const [search, setSearch] = useState("");
  const nav = useRef<HTMLElement>(null);
  const shown = matchingConversations(props.conversations, search);
  // Opened as a drawer, it takes the focus, so the keyboard starts inside it.
  useEffect(() => {
    if (props.open) nav.current?.focus({ preventScroll: true });
  }, [props.open]);
  return (
    <>
      {props.open && props.onClose && <div className="drawer-backdrop" aria-hidden="true" onClick={props.onClose} />}
      <nav className="history" aria-label="Conversations" ref={nav} tabIndex={-1}>
        <div className="history-head">
          <h2>Conversations</h2>
          {props.onClose && (
            <button type="button" className="button ghost small history-close" onClick={props.onClose}>Close</button>
          )}
          <div className="history-tools">
            <button type="button" className="button ghost small" onClick={props.onNew}>New conversation</button>
            {props.tools}
          </div>
        </div>
        {props.conversations.length > 1 && (
          <input
            type="search"
            className="history-search"
            aria-label="Search conversations"
            placeholder="Search conversations"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        )}
        {props.notice && <p className="form-error" role="alert">{props.notice}</p>}
        {props.loading && props.conversations.length === 0 && <p className="muted">Loading…</p>}
        {!props.loading && props.conversations.length === 0 && <p className="muted">No conversations yet.</p>}
        {search && shown.length === 0 && <p className="muted" role="status">No conversation mentions “{search}”.</p>}
        <ul>
          {shown.map((conversation) => (
            <li key={conversation.conversationId}>
              <button
                type="button"
                id={`conversation-${conversation.conversationId}`}
                className="history-item"
                aria-current={conversation.conversationId === props.current ? "true" : undefined}
                onClick={() => props.onOpen(conversation)}
              >
                <span className="history-first">{conversation.title ?? conversation.messages[0]?.user ?? "…"}</span>
                <span className="muted history-when">
                  {conversation.messages.length} {conversation.messages.length === 1 ? "message" : "messages"} · {timeAgo(conversation.startedAt)}
                </span>
              </button>
              <div className="history-actions">
                {props.onRename && (
                  <ConversationRename
                    id={conversation.conversationId}
                    current={conversation.title ?? conversation.messages[0]?.user ?? ""}
                    onRename={(title) => props.onRename!(conversation, title)}
                  />
                )}
                {props.actions?.(conversation)}
              </div>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
