import type { ReactNode } from "react";
import { hrefFor } from "../router.ts";

/** The top of a chat: back to AI Models, who speaks, the screen's own links, History and the menu. */
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
  /** After History (the model menu's button). */
  end?: ReactNode;
}) {
  return (
    <div className="chat-header">
      <a className="back-link" href={hrefFor.models} aria-label="Back to AI Models">←</a>
      <span className={`avatar${props.avatarClassName ? ` ${props.avatarClassName}` : ""}`} aria-hidden="true">{props.avatar}</span>
      <div className="chat-names">
        <h1 id={props.titleId}>{props.title}</h1>
        <p className="muted">{props.subtitle}</p>
      </div>
      <div className="chat-header-actions">
        {props.children}
        <button
          type="button"
          className="button ghost small icon-button history-toggle"
          aria-expanded={props.showHistory}
          onClick={props.onToggleHistory}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M3 12a9 9 0 1 0 3-6.7L3 8" /><path d="M3 3v5h5M12 7v5l3 2" />
          </svg>
          <span className="header-label">History</span>
        </button>
        {props.end}
      </div>
    </div>
  );
}
