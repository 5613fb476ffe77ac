import { type FormEvent, useEffect, useRef, useState } from "react";
import { type CastMember, StoryvoiceError } from "../../../sdk/index.ts";
import { Field } from "../components/Field.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { bookTitle } from "../format.ts";
import { useCast } from "../hooks/useCast.ts";
import { hrefFor } from "../router.ts";
import { api } from "../services.ts";

/** The API's limit: twenty members, the author included. */
const MAX_MEMBERS = 20;

interface CharacterRow { key: number; name: string; description: string }

const slug = (text: string) => text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
let nextKey = 0;
const emptyRow = (): CharacterRow => ({ key: ++nextKey, name: "", description: "" });

function outcomeText(member: CastMember): string {
  if (member.outcome === "created") return "Created";
  if (member.outcome === "exists") return "Already exists";
  return `Not created: ${member.error?.message ?? "refused"}`;
}

/**
 * A book's whole cast at once (loaded on first use): the author and up to twenty characters, each
 * created as its own model; then each member's outcome and training status.
 */
export default function CastScreen({ bookId }: { bookId?: string }) {
  const [book, setBook] = useState({ title: "", author: "", description: "" });
  const [withAuthor, setWithAuthor] = useState(true);
  const [quickTune, setQuickTune] = useState(true);
  const [isPublic, setIsPublic] = useState(false);
  const [rows, setRows] = useState<CharacterRow[]>(() => [emptyRow(), emptyRow()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const cast = useCast();
  const limit = MAX_MEMBERS - (withAuthor ? 1 : 0);
  const resultTitle = useRef<HTMLHeadingElement>(null);

  // A new batch's outcomes are below the form: take the reader there.
  useEffect(() => {
    if (!cast.batch) return;
    resultTitle.current?.focus({ preventScroll: true });
    resultTitle.current?.scrollIntoView?.({ block: "start" });
  }, [cast.batch?.id]);

  // A book chosen on AI Models: its title and author come from one of its models.
  useEffect(() => {
    if (!bookId) return;
    void api.listModels({ bookId, limit: 1 }).then(({ models: [model] }) => {
      if (!model) return;
      const info = model.book_info as { author?: string; description?: string };
      setBook({ title: bookTitle(model.book_info, model.book_id), author: info.author ?? "", description: info.description ?? "" });
    }).catch(() => {});
  }, [bookId]);

  // The API's issue paths ("characters.3.name", "bookInfo.title") land on their fields.
  useEffect(() => {
    const failure = cast.failure;
    if (!(failure instanceof StoryvoiceError)) return setErrors({});
    const next: Record<string, string> = {};
    for (const issue of failure.fieldIssues) {
      const key = issue.path[0] === "bookId" ? "bookInfo.title" : issue.path.join(".");
      next[key] ??= issue.message;
    }
    setErrors(next);
  }, [cast.failure]);

  // Editing a field takes its error away; the next submit checks it again.
  const clearError = (path: string) =>
    setErrors((shown) => {
      if (!(path in shown)) return shown;
      const { [path]: _, ...rest } = shown;
      return rest;
    });
  const setRow = (key: number, change: Partial<CharacterRow>) => {
    const index = rows.findIndex((row) => row.key === key);
    for (const field of Object.keys(change)) clearError(`characters.${index}.${field}`);
    setRows((all) => all.map((row) => (row.key === key ? { ...row, ...change } : row)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const title = book.title.trim();
    void cast.create({
      bookId: bookId ?? slug(title),
      bookInfo: { title, author: book.author.trim(), ...(book.description.trim() ? { description: book.description.trim() } : {}) },
      ...(withAuthor ? { author: { name: book.author.trim() } } : {}),
      characters: rows.map((row) => ({ name: row.name.trim(), description: row.description.trim() })),
      quickTune,
      isPublic,
    });
  };

  const issueCount = Object.keys(errors).length;
  return (
    <section aria-labelledby="cast-title" className="narrow">
      <a className="back-link" href={hrefFor.models}>← AI Models</a>
      <h1 id="cast-title">Whole cast</h1>
      <p className="muted">Create a book's author and up to {MAX_MEMBERS - 1} characters at once; each becomes its own AI.</p>

      <form onSubmit={submit} noValidate className="card form">
        <Field label="Book title" value={book.title} onChange={(title) => { clearError("bookInfo.title"); setBook((b) => ({ ...b, title })); }} error={errors["bookInfo.title"]} maxLength={300} />
        <Field label="Book author" value={book.author} onChange={(author) => { clearError("bookInfo.author"); clearError("author.name"); setBook((b) => ({ ...b, author })); }} error={errors["bookInfo.author"] ?? errors["author.name"]} maxLength={200} />
        <Field
          label="About the book"
          value={book.description}
          onChange={(description) => setBook((b) => ({ ...b, description }))}
          error={errors["bookInfo.description"]}
          multiline
          optional
          maxLength={4000}
        />
        <label className="choice">
          <input type="checkbox" checked={withAuthor} onChange={(event) => setWithAuthor(event.target.checked)} />
          Include the author
        </label>

        <fieldset className="cast-characters">
          <legend>Characters ({rows.length} of {limit})</legend>
          {rows.map((row, index) => (
            <div key={row.key} className="cast-row" role="group" aria-label={`Character ${index + 1}`}>
              <Field
                label={`Character ${index + 1} name`}
                value={row.name}
                onChange={(name) => setRow(row.key, { name })}
                error={errors[`characters.${index}.name`]}
                maxLength={200}
              />
              <Field
                label={`About character ${index + 1}`}
                value={row.description}
                onChange={(description) => setRow(row.key, { description })}
                error={errors[`characters.${index}.description`]}
                multiline
                maxLength={4000}
              />
              {rows.length > 1 && (
                <button type="button" className="button danger-ghost small" onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}>
                  Remove character {index + 1}
                </button>
              )}
            </div>
          ))}
          {errors.characters && <p className="field-error">{errors.characters}</p>}
          <button type="button" className="button ghost small" disabled={rows.length >= limit} onClick={() => setRows((all) => [...all, emptyRow()])}>
            Add a character
          </button>
        </fieldset>

        <label className="choice">
          <input type="checkbox" checked={quickTune} onChange={(event) => setQuickTune(event.target.checked)} />
          Quick: fewer training examples, ready sooner
        </label>
        <label className="choice">
          <input type="checkbox" checked={isPublic} onChange={(event) => setIsPublic(event.target.checked)} />
          Public: other readers can chat with them too
        </label>

        <div aria-live="polite">
          {cast.failure && (
            <p className="form-error" role="alert">
              {issueCount > 0 ? "Please check the highlighted fields." : cast.failure.message}
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={cast.creating || rows.length > limit} aria-busy={cast.creating}>
            {cast.creating ? "Creating…" : "Create the cast"}
          </button>
        </div>
      </form>

      <div aria-live="polite">
        {cast.batch && (
          <section className="card form" aria-labelledby="cast-result-title">
            <h2 id="cast-result-title" ref={resultTitle} tabIndex={-1}>The cast</h2>
            <ul className="cast-members" aria-label="Cast members">
              {cast.batch.members.map((member) => (
                <li key={member.index} className={`cast-member outcome-${member.outcome}`}>
                  <div className="cast-member-names">
                    <strong>{member.name}</strong>
                    <span className="muted">{member.type === "author" ? "Author" : "Character"} · {outcomeText(member)}</span>
                  </div>
                  {member.model && <StatusBadge status={member.model.status} />}
                  {member.model && <a className="button ghost small" href={hrefFor.chat(member.model.id)} aria-label={`Open ${member.name}`}>Open</a>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </section>
  );
}
