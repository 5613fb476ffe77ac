import { type FormEvent, useId, useState } from "react";
import type { ExampleDraft, ExampleMessage } from "../hooks/useExamples.ts";
import { counterShown, isOverLimit, LengthCounter } from "./LengthCounter.tsx";

const EMPTY: ExampleMessage[] = [{ role: "user", content: "" }, { role: "assistant", content: "" }];

/**
 * One training conversation to write or edit: a topic and its turns (the reader's and the
 * persona's), with a turn pair added at the end when needed.
 */
export function ExampleForm({ initial, persona, submitLabel, busy, onSubmit, onCancel }: {
  initial?: ExampleDraft;
  persona: string;
  submitLabel: string;
  busy: boolean;
  onSubmit: (draft: ExampleDraft) => Promise<boolean>;
  onCancel: () => void;
}) {
  const id = useId();
  const [topic, setTopic] = useState(initial?.topic ?? "");
  const [messages, setMessages] = useState<ExampleMessage[]>(initial?.messages ?? EMPTY);
  const setTurn = (index: number, content: string) =>
    setMessages((turns) => turns.map((turn, at) => (at === index ? { ...turn, content } : turn)));
  const complete = messages.every((turn) => turn.content.trim()) && messages.some((turn) => turn.role === "assistant");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    const saved = await onSubmit({ topic: topic.trim() || null, messages: messages.map((turn) => ({ ...turn, content: turn.content.trim() })) });
    if (saved && !initial) {
      setTopic("");
      setMessages(EMPTY);
    }
  };

  return (
    <form className="example-form" onSubmit={submit} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={`${id}-topic`}>Topic <span className="muted">(optional)</span></label>
        <input
          id={`${id}-topic`}
          type="text"
          value={topic}
          aria-describedby={counterShown(topic, 200) ? `${id}-topic-count` : undefined}
          aria-invalid={isOverLimit(topic, 200) || undefined}
          onChange={(event) => setTopic(event.target.value)}
        />
        <LengthCounter id={`${id}-topic-count`} text={topic} max={200} />
      </div>
      {messages.map((turn, index) => (
        <div className="field" key={index}>
          <label htmlFor={`${id}-turn-${index}`}>
            {turn.role === "user" ? "Reader says" : `${persona} answers`}
            {messages.length > 2 && <span className="muted"> (turn {Math.floor(index / 2) + 1})</span>}
          </label>
          <textarea id={`${id}-turn-${index}`} rows={2} value={turn.content} onChange={(event) => setTurn(index, event.target.value)} />
        </div>
      ))}
      <div className="form-actions">
        <button type="submit" className="button primary small" disabled={busy || !complete}>{submitLabel}</button>
        <button
          type="button"
          className="button ghost small"
          onClick={() => setMessages((turns) => [...turns, { role: "user", content: "" }, { role: "assistant", content: "" }])}
        >
          Add a turn
        </button>
        <button type="button" className="button ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
