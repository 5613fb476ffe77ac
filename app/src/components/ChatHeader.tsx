import type { ReactNode } from "react";
import { hrefFor } from "../router.ts";

/** The top of a chat: back to AI Models, who speaks, the screen's own links, and the History toggle. */
export function ChatHeader(props: {
  titleId: string;
  title: string;
  subtitle: string;
  avatar: ReactNode;
  avatarClassName?: string;
  showHistory: boolean;
  onToggleHistory: () => void;
  /** Between the names and History (the status badge, Read along). */
  children?: ReactNode;
}) {
  return (
    <div className="chat-header">
      <a className="back-link" href={hrefFor.models} aria-label="Back to AI Models">←</a>
      <span className={`avatar${props.avatarClassName ? ` ${props.avatarClassName}` : ""}`} aria-hidden="true">{props.avatar}</span>
      <div className="chat-names">
        <h1 id={props.titleId}>{props.title}</h1>
        <p className="muted">{props.subtitle}</p>
      </div>
      {props.children}
      <button type="button" className="button ghost small history-toggle" aria-expanded={props.showHistory} onClick={props.onToggleHistory}>
        History
      </button>
    </div>
  );
}
