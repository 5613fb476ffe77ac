import type { ChatMessage } from "../hooks/useChat.ts";

export function MessageBubble({ message, speaker }: { message: ChatMessage; speaker: string }) {
  const mine = message.role === "user";
  return (
    <div className={`bubble-row ${mine ? "from-me" : "from-them"}`}>
      <div className="bubble" aria-busy={message.streaming || undefined}>
        <span className="visually-hidden">{mine ? "You" : speaker}: </span>
        {message.text || (message.streaming ? <span className="typing" aria-label="Writing">•••</span> : "")}
      </div>
      {message.usingFallback && <span className="fallback-marker">⚠️ Using general AI</span>}
    </div>
  );
}
