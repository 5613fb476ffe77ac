import type { ChatMessage } from "../hooks/useChat.ts";

/**
 * One message. In a one-to-one chat the speaker is only read out; in a group (`labelled`) every
 * persona's name is shown above its bubble, so you can see who is speaking.
 */
export function MessageBubble({ message, speaker, labelled }: { message: ChatMessage; speaker: string; labelled?: boolean }) {
  const mine = message.role === "user";
  const name = mine ? "You" : message.speaker ?? speaker;
  return (
    <div className={`bubble-row ${mine ? "from-me" : "from-them"}`}>
      {labelled && !mine && <span className="bubble-speaker" aria-hidden="true">{name}</span>}
      <div className="bubble" aria-busy={message.streaming || undefined}>
        <span className="visually-hidden">{name}: </span>
        {message.text || (message.streaming ? <span className="typing" aria-label="Writing">•••</span> : "")}
      </div>
      {message.usingFallback && <span className="fallback-marker">⚠️ Using general AI</span>}
    </div>
  );
}
