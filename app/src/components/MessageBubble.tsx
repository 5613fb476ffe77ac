import type { ReactNode } from "react";
import type { ChatMessage } from "../hooks/useChat.ts";
import { type Rating, RatingButtons } from "./RatingButtons.tsx";
import { ReplyText } from "./ReplyText.tsx";
import { ReplySource } from "./ReplySource.tsx";
import { UnsentMarker } from "./UnsentMarker.tsx";

/** Reading a reply aloud: what its button shows and does. */
export interface ReplySpeech {
  state: "idle" | "loading" | "playing";
  onPlay: () => void;
  onStop: () => void;
}

/**
 * One message. In a one-to-one chat the speaker is only read out; in a group (`labelled`) every
 * persona's name is shown above its bubble, so you can see who is speaking. A reply with `speech`
 * has a button that reads it aloud; a stored reply can be rated when `onRate` is given; `actions`
 * (regenerate, rewind...) follow its other controls.
 */
export function MessageBubble({ message, speaker, labelled, speech, onRate, tools, actions, onRetry }: {
  message: ChatMessage;
  speaker: string;
  labelled?: boolean;
  speech?: ReplySpeech;
  onRate?: (rating: Rating) => void;
  /** The reply's own actions (regenerate, edit, continue, rewind). */
  actions?: ReactNode;
  /** More controls beside the reply's own (memory: "Remembered", "Pin"). */
  tools?: ReactNode;
  /** Sends a message that did not go (offline, outage) again. */
  onRetry?: () => void;
}) {
  const mine = message.role === "user";
  const name = mine ? "You" : message.speaker ?? speaker;
  const speakable = speech && !mine && !message.streaming && message.text;
  const rateable = !mine && onRate && message.chatId && !message.streaming;
  const answered = !mine && !message.streaming && message.usingFallback !== undefined;
  return (
    <div className={`bubble-row ${mine ? "from-me" : "from-them"}${message.unsent ? " unsent" : ""}`}>
      {labelled && !mine && <span className="bubble-speaker" aria-hidden="true">{name}</span>}
      <div className="bubble" aria-busy={message.streaming || undefined}>
        <span className="visually-hidden">{name}: </span>
        {message.text ? (mine ? message.text : <ReplyText text={message.text} />)
          : (message.streaming ? <span className="typing" aria-label="Writing">•••</span> : "")}
      </div>
      {message.unsent && <UnsentMarker onRetry={onRetry} />}
      {(answered || speakable || rateable || tools || actions) && (
        <div className="bubble-meta">
          {speakable && (
            speech.state === "playing"
              ? (
                <button type="button" className="play-button" onClick={speech.onStop}>
                  <span aria-hidden="true">■</span> Stop<span className="visually-hidden"> reading</span>
                </button>
              )
              : speech.state === "loading"
              ? (
                <button type="button" className="play-button" disabled aria-busy="true">
                  <span aria-hidden="true">▶</span> Loading<span className="visually-hidden"> reply</span>…
                </button>
              )
              : (
                <button type="button" className="play-button" onClick={speech.onPlay}>
                  <span aria-hidden="true">▶</span> Play<span className="visually-hidden"> reply</span>
                </button>
              )
          )}
          {answered && <ReplySource usingFallback={message.usingFallback} />}
          {rateable && <RatingButtons rating={message.rating ?? null} onRate={onRate} />}
          {actions}
          {tools}
        </div>
      )}
    </div>
  );
}
