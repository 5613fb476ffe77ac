import { useState } from "react";
import "./memory.css";
import type { Memory } from "../../../sdk/index.ts";
import type { useMemories } from "../hooks/useMemories.ts";

/** One memory: its text, or a field while it is being edited. */
function MemoryItem({ memory, onSave, onDelete }: {
  memory: Memory;
  onSave: (text: string) => Promise<boolean>;
  onDelete: () => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null) {
    return (
      <li>
        <label>
          <span className="visually-hidden">Edit memory</span>
          <textarea value={draft} onChange={(event) => setDraft(event.target.value)} rows={2} />
        </label>
        <button type="button" className="button small" onClick={async () => { if (await onSave(draft)) setDraft(null); }}>Save</button>
        <button type="button" className="button ghost small" onClick={() => setDraft(null)}>Cancel</button>
      </li>
    );
  }
  return (
    <li>
      <span>{memory.text}</span>{" "}
      <button type="button" className="button ghost small" onClick={() => setDraft(memory.text)}>
        Edit<span className="visually-hidden"> memory</span>
      </button>
      <button type="button" className="button ghost small" onClick={onDelete}>
        Delete<span className="visually-hidden"> memory</span>
      </button>
    </li>
  );
}

/**
 * "Memories" on a persona's chat: what the reader pinned for it (most recently written first, the
 * order the persona is given them in), to add, edit or delete. Folded away until opened.
 */
export function MemoriesPanel({ memory }: { memory: ReturnType<typeof useMemories> }) {
  const [text, setText] = useState("");
  return (
    <details className="memories-panel">
      <summary>Memories ({memory.memories.length})</summary>
      {memory.memories.length === 0 && <p className="muted">Nothing pinned yet: pin a reply, or add a note below.</p>}
      <ul aria-label="Pinned memories">
        {memory.memories.map((item) => (
          <MemoryItem key={item.id} memory={item} onSave={(draft) => memory.edit(item.id, draft)} onDelete={() => void memory.remove(item.id)} />
        ))}
      </ul>
      <form onSubmit={async (event) => { event.preventDefault(); if (await memory.pin({ text })) setText(""); }}>
        <label>
          New memory
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={2} maxLength={memory.maxChars ?? undefined} />
        </label>
        <button type="submit" className="button small" disabled={!text.trim()}>Add memory</button>
      </form>
      {memory.error && <p className="form-error" role="alert">{memory.error}</p>}
    </details>
  );
}
