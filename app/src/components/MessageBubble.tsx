import type { ChatMessage } from "../hooks/useChat.ts";
import { type Rating, RatingButtons } from "./RatingButtons.tsx";

/**
 * One message. In a one-to-one chat the speaker is only read out; in a group (`labelled`) every
 * persona's name is shown above its bubble, so you can see who is speaking. A stored reply can be
 * rated when `onRate` is given.
 */
export function MessageBubble({ message, speaker, labelled, onRate }: {
  message: ChatMessage;
  speaker: string;
  labelled?: boolean;
  onRate?: (rating: Rating) => void;
}) {
  const mine = message.role === "user";
  const name = mine ? "You" : message.speaker ?? speaker;
  const rateable = !mine && onRate && message.chatId && !message.streaming;
  return (
    <div className={`bubble-row ${mine ? "from-me" : "from-them"}`}>
      {labelled && !mine && <span className="bubble-speaker" aria-hidden="true">{name}</span>}
      <div className="bubble" aria-busy={message.streaming || undefined}>
        <span className="visually-hidden">{name}: </span>
        {message.text || (message.streaming ? <span className="typing" aria-label="Writing">•••</span> : "")}
      </div>
      {(message.usingFallback || rateable) && (
        <div className="bubble-meta">
          {message.usingFallback && <span className="fallback-marker">⚠️ Using general AI</span>}
          {rateable && <RatingButtons rating={message.rating ?? null} onRate={onRate} />}
        </div>
      )}
    </div>
  );
}
