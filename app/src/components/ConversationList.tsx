import type { Conversation } from "../../../sdk/index.ts";
import { timeAgo } from "../format.ts";

/** Earlier conversations with this model, newest first; one opens on a tap. */
export function ConversationList(props: {
  conversations: Conversation[];
  loading: boolean;
  current?: string;
  onOpen: (conversation: Conversation) => void;
  onNew: () => void;
}) {
  return (
    <nav className="history" aria-label="Conversations">
      <div className="history-head">
        <h2>Conversations</h2>
        <button type="button" className="button ghost small" onClick={props.onNew}>New conversation</button>
      </div>
      {props.loading && props.conversations.length === 0 && <p className="muted">Loading…</p>}
      {!props.loading && props.conversations.length === 0 && <p className="muted">No conversations yet.</p>}
      <ul>
        {props.conversations.map((conversation) => (
          <li key={conversation.conversationId}>
            <button
              type="button"
              className="history-item"
              aria-current={conversation.conversationId === props.current ? "true" : undefined}
              onClick={() => props.onOpen(conversation)}
            >
              <span className="history-first">{conversation.messages[0]?.user ?? "…"}</span>
              <span className="muted history-when">
                {conversation.messages.length} {conversation.messages.length === 1 ? "message" : "messages"} · {timeAgo(conversation.startedAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
