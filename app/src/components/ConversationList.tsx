import type { ReactNode } from "react";
import type { Conversation } from "../../../sdk/index.ts";
import { timeAgo } from "../format.ts";

/** Earlier conversations with this model, newest first; one opens on a tap. */
export function ConversationList(props: {
  conversations: Conversation[];
  loading: boolean;
  current?: string;
  onOpen: (conversation: Conversation) => void;
  onNew: () => void;
  /** Beside "New conversation", e.g. the transcript import. */
  tools?: ReactNode;
  /** Per conversation, e.g. its export control. */
  actions?: (conversation: Conversation) => ReactNode;
  /** A failure to say above the list (an export that did not work). */
  notice?: string | null;
}) {
  return (
    <nav className="history" aria-label="Conversations">
      <div className="history-head">
        <h2>Conversations</h2>
        <div className="history-tools">
          <button type="button" className="button ghost small" onClick={props.onNew}>New conversation</button>
          {props.tools}
        </div>
      </div>
      {props.notice && <p className="form-error" role="alert">{props.notice}</p>}
      {props.loading && props.conversations.length === 0 && <p className="muted">Loading…</p>}
      {!props.loading && props.conversations.length === 0 && <p className="muted">No conversations yet.</p>}
      <ul>
        {props.conversations.map((conversation) => (
          <li key={conversation.conversationId}>
            <button
              type="button"
              id={`conversation-${conversation.conversationId}`}
              className="history-item"
              aria-current={conversation.conversationId === props.current ? "true" : undefined}
              onClick={() => props.onOpen(conversation)}
            >
              <span className="history-first">{conversation.messages[0]?.user ?? "…"}</span>
              <span className="muted history-when">
                {conversation.messages.length} {conversation.messages.length === 1 ? "message" : "messages"} · {timeAgo(conversation.startedAt)}
              </span>
            </button>
            {props.actions?.(conversation)}
          </li>
        ))}
      </ul>
    </nav>
  );
}
