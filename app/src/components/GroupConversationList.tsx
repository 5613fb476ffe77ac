import type { ReactNode } from "react";
import { timeAgo } from "../format.ts";
import type { GroupConversationSummary } from "../hooks/useGroupChat.ts";
import { hrefFor } from "../router.ts";

/** Earlier group conversations, newest first; one reopens on a tap. */
export function GroupConversationList(props: {
  conversations: GroupConversationSummary[];
  loading: boolean;
  current?: string;
  newHref?: string;
  /** Per conversation, e.g. its export control. */
  actions?: (conversation: GroupConversationSummary) => ReactNode;
  /** A failure to say above the list (an export that did not work). */
  notice?: string | null;
}) {
  return (
    <nav className="history" aria-label="Group conversations">
      <div className="history-head">
        <h2>Group chats</h2>
        {props.newHref && <a className="button ghost small" href={props.newHref}>New group chat</a>}
      </div>
      {props.notice && <p className="form-error" role="alert">{props.notice}</p>}
      {props.loading && props.conversations.length === 0 && <p className="muted">Loading…</p>}
      {!props.loading && props.conversations.length === 0 && <p className="muted">No group chats yet.</p>}
      <ul>
        {props.conversations.map((conversation) => (
          <li key={conversation.conversationId}>
            <a
              id={`conversation-${conversation.conversationId}`}
              className="history-item"
              href={hrefFor.group(conversation.conversationId)}
              aria-current={conversation.conversationId === props.current ? "page" : undefined}
            >
              <span className="history-first">{conversation.participants.map((participant) => participant.name).join(", ") || "…"}</span>
              <span className="muted history-when">
                {conversation.messageCount} {conversation.messageCount === 1 ? "message" : "messages"} · {timeAgo(conversation.startedAt)}
              </span>
            </a>
            {props.actions?.(conversation)}
          </li>
        ))}
      </ul>
    </nav>
  );
}
