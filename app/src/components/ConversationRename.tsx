import { type FormEvent, useState } from "react";

const MAX_TITLE = 120;

/** "Rename" under a conversation in the history: a name only this reader sees. */
export function ConversationRename({ id, current, onRename }: {
  id: string;
  current: string;
  /** Stores the name; answers what went wrong, or null. */
  onRename: (title: string) => Promise<string | null>;
}) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(current);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const failure = await onRename(title.trim());
    setSaving(false);
    setError(failure);
    if (!failure) setEditing(false);
  };

  if (!editing) {
    return (
      <button type="button" className="link-button small-link" aria-describedby={`conversation-${id}`} onClick={() => { setTitle(current); setEditing(true); }}>
        Rename
      </button>
    );
  }
  return (
    <form className="conversation-rename" onSubmit={(event) => void save(event)}>
      <label htmlFor={`rename-${id}`} className="visually-hidden">Name of the conversation</label>
      <input
        id={`rename-${id}`}
        value={title}
        maxLength={MAX_TITLE}
        required
        autoFocus
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => { if (event.key === "Escape") { event.stopPropagation(); setEditing(false); } }}
      />
      <button type="submit" className="button primary small" disabled={saving || !title.trim()}>{saving ? "Saving…" : "Save"}</button>
      <button type="button" className="button ghost small" onClick={() => setEditing(false)}>Cancel</button>
      {title.length >= MAX_TITLE - 20 && <span className="muted">{title.length}/{MAX_TITLE}</span>}
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
