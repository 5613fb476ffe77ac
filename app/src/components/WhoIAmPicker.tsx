import { useState } from "react";
import { useReaderPersonas } from "../hooks/useReaderPersonas.ts";

/**
 * "Who I am" in this conversation: one of the reader's personas (their default unless they pick
 * another), or a new one, optionally a character of this book they play. Folded away until opened.
 */
function WhoIAmChoices({ readers, chosen, onChoose, exceptModelId }: {
  readers: ReturnType<typeof useReaderPersonas>;
  /** The persona chosen here; null or undefined: the reader's default answers. */
  chosen: string | null | undefined;
  onChoose: (personaId: string | null) => void;
  /** The persona being talked with: not one the reader can play against itself. */
  exceptModelId: string;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [plays, setPlays] = useState("");
  const [isDefault, setIsDefault] = useState(false);
  // Folds again once a persona is added, so the chat gets its room back on a phone.
  const [open, setOpen] = useState(false);
  const fallback = readers.personas.find((persona) => persona.isDefault);
  // "" is the reader's default (or nobody, without one): what the server answers with no choice.
  const current = chosen ?? "";
  const shown = readers.personas.find((persona) => persona.id === current) ?? fallback;
  const characters = readers.characters.filter((model) => model.id !== exceptModelId);

  return (
    <details className="who-i-am" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Who I am{shown && `: ${shown.name}`}</summary>
      <label>
        I am talking as
        <select value={current} onChange={(event) => onChoose(event.target.value || null)}>
          <option value="">{fallback ? `My default (${fallback.name})` : "Myself (no persona)"}</option>
          {readers.personas.map((persona) => (
            <option key={persona.id} value={persona.id}>
              {persona.name}{persona.plays ? ` (plays ${persona.plays.entityName})` : ""}{persona.isDefault ? " · default" : ""}
            </option>
          ))}
        </select>
      </label>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const created = await readers.create({ name, description, isDefault, ...(plays ? { playsModelId: plays } : {}) });
          if (!created) return;
          onChoose(created.id);
          setName("");
          setDescription("");
          setPlays("");
          setOpen(false);
        }}
      >
        <label>
          Persona name
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required />
        </label>
        <label>
          About me
          <textarea value={description} onChange={(event) => setDescription(event.target.value)} maxLength={1000} rows={2} />
        </label>
        {characters.length > 0 && (
          <label>
            Play as a character of this book
            <select value={plays} onChange={(event) => setPlays(event.target.value)}>
              <option value="">Nobody from the book</option>
              {characters.map((model) => <option key={model.id} value={model.id}>{model.entity_name}</option>)}
            </select>
          </label>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={isDefault} onChange={(event) => setIsDefault(event.target.checked)} />
          Use in every chat
        </label>
        <button type="submit" className="button small" disabled={!name.trim()}>Add persona</button>
      </form>
      {readers.error && <p className="form-error" role="alert">{readers.error}</p>}
    </details>
  );
}

/** The picker for a chat with `modelId`, a persona of `bookId`. */
export function WhoIAmPicker({ bookId, modelId, chosen, onChoose }: {
  bookId: string;
  modelId: string;
  chosen: string | null | undefined;
  onChoose: (personaId: string | null) => void;
}) {
  const readers = useReaderPersonas(bookId);
  return <WhoIAmChoices readers={readers} chosen={chosen} onChoose={onChoose} exceptModelId={modelId} />;
}
