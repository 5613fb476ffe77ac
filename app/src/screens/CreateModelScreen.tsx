import { type FormEvent, useState } from "react";
import { type CreateQuickInput, type Model, StoryvoiceError } from "../../../sdk/index.ts";
import { CardImport } from "../components/CardImport.tsx";
import { Field } from "../components/Field.tsx";
import { QuickFineTuneButton } from "../components/QuickFineTuneButton.tsx";
import { VoicePicker } from "../components/VoicePicker.tsx";
import { useSpeechOptions } from "../hooks/useSpeech.ts";
import { hrefFor, navigate } from "../router.ts";
import { api } from "../services.ts";
import { ExistingModelNotice } from "../components/ExistingModelNotice.tsx";

type Kind = "quick" | "character" | "author";
type FieldName = "name" | "description" | "bookTitle" | "bookAuthor" | "bookDescription" | "genre";
type Values = Record<FieldName, string> & { quickType: "character" | "author"; isPublic: boolean; voice: string };

const KINDS: { value: Kind; label: string; blurb: string }[] = [
  { value: "quick", label: "Quick", blurb: "Fewer training examples: ready sooner." },
  { value: "character", label: "Character", blurb: "A character of the book, fully trained." },
  { value: "author", label: "Author", blurb: "The book's author, fully trained." },
];

// Where the API's issue paths land on this form.
const FIELD_OF_PATH: Record<string, FieldName> = {
  entityName: "name", characterName: "name", authorName: "name",
  description: "description", characterDescription: "description",
  "bookInfo.title": "bookTitle", bookId: "bookTitle", "bookInfo.author": "bookAuthor",
  "bookInfo.description": "bookDescription", "bookInfo.genre": "genre",
};

const slug = (text: string) => text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const optional = (text: string) => (text.trim() ? text.trim() : undefined);

/** Create an AI: the quick, character and author forms, with the API's validation on their fields. */
export function CreateModelScreen() {
  const [kind, setKind] = useState<Kind>("quick");
  const [values, setValues] = useState<Values>({
    name: "", description: "", bookTitle: "", bookAuthor: "", bookDescription: "", genre: "",
    quickType: "character", isPublic: false, voice: "",
  });
  const speechOptions = useSpeechOptions();
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [existing, setExisting] = useState<Model | null>(null);
  const [creating, setCreating] = useState(false);
  const set = (name: FieldName) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((shown) => (shown[name] ? { ...shown, [name]: undefined } : shown));
  };
  const isAuthor = kind === "author" || (kind === "quick" && values.quickType === "author");

  const quickInput = (): CreateQuickInput => ({
    type: values.quickType,
    entityName: values.name.trim(),
    description: values.description.trim(),
    bookId: slug(values.bookTitle),
    bookInfo: {
      title: values.bookTitle.trim(),
      author: isAuthor ? values.name.trim() : values.bookAuthor.trim(),
      description: values.bookDescription.trim(),
      genre: optional(values.genre),
    },
    isPublic: values.isPublic,
    voice: optional(values.voice),
  });

  function showFailure(error: StoryvoiceError) {
    const next: Partial<Record<FieldName, string>> = {};
    for (const issue of error.fieldIssues) {
      const field = FIELD_OF_PATH[issue.path.join(".")];
      if (field && !next[field]) next[field] = values[field].trim() ? issue.message : "This is required.";
    }
    setErrors(next);
    setFormError(Object.keys(next).length > 0 ? "Please check the highlighted fields." : error.message);
  }

  function reset() {
    setErrors({});
    setFormError(null);
    setExisting(null);
  }

  const created = (model: Model) => navigate(hrefFor.chat(model.id));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (kind === "quick") return;
    reset();
    setCreating(true);
    const book = { title: values.bookTitle.trim(), description: optional(values.bookDescription), genre: optional(values.genre) };
    try {
      const result = kind === "author"
        ? await api.createAuthor({
          authorName: values.name.trim(),
          bookId: slug(values.bookTitle),
          bookInfo: book,
          isPublic: values.isPublic,
          voice: optional(values.voice),
        })
        : await api.createCharacter({
          characterName: values.name.trim(),
          characterDescription: values.description.trim(),
          bookId: slug(values.bookTitle),
          bookInfo: { ...book, author: values.bookAuthor.trim() },
          isPublic: values.isPublic,
          voice: optional(values.voice),
        });
      created(result.model);
    } catch (error) {
      if (error instanceof StoryvoiceError && error.status === 409 && error.model) setExisting(error.model);
      else if (error instanceof StoryvoiceError) showFailure(error);
      else setFormError("Something went wrong. Please try again.");
    } finally {
      setCreating(false);
    }
  }

  return (
    <section aria-labelledby="create-title" className="narrow">
      <a className="back-link" href={hrefFor.models}>← AI Models</a>
      <h1 id="create-title">Create an AI</h1>
      <div className="kind-picker" role="radiogroup" aria-label="Kind of AI">
        {KINDS.map((option) => (
          <label key={option.value} className={`kind-option${kind === option.value ? " selected" : ""}`}>
            <input type="radio" name="kind" value={option.value} checked={kind === option.value} onChange={() => { setKind(option.value); reset(); }} />
            <span className="kind-label">{option.label}</span>
            <span className="kind-blurb">{option.blurb}</span>
          </label>
        ))}
      </div>

      <CardImport />

      <form onSubmit={submit} noValidate className="card form">
        {kind === "quick" && (
          <fieldset className="inline-choices">
            <legend>Speaks as</legend>
            {(["character", "author"] as const).map((type) => (
              <label key={type} className="choice">
                <input type="radio" name="quickType" checked={values.quickType === type} onChange={() => setValues((v) => ({ ...v, quickType: type }))} />
                {type === "character" ? "A character" : "The author"}
              </label>
            ))}
          </fieldset>
        )}
        <Field label={isAuthor ? "Author's name" : "Character's name"} value={values.name} onChange={set("name")} error={errors.name} maxLength={200} />
        {(kind !== "author") && (
          <Field
            label={isAuthor ? "About the author" : "About the character"}
            hint="Who they are, how they speak, what they care about."
            value={values.description}
            onChange={set("description")}
            error={errors.description}
            multiline
            maxLength={4000}
          />
        )}
        <Field label="Book title" value={values.bookTitle} onChange={set("bookTitle")} error={errors.bookTitle} maxLength={300} />
        {!isAuthor && <Field label="Book author" value={values.bookAuthor} onChange={set("bookAuthor")} error={errors.bookAuthor} maxLength={200} />}
        <Field
          label="About the book"
          value={values.bookDescription}
          onChange={set("bookDescription")}
          error={errors.bookDescription}
          multiline
          optional={kind !== "quick"}
          maxLength={4000}
        />
        <Field label="Genre" value={values.genre} onChange={set("genre")} error={errors.genre} optional maxLength={100} />
        {speechOptions?.configured && (
          <div className="field">
            <VoicePicker
              id="create-voice"
              options={speechOptions}
              value={values.voice}
              onChange={(voice) => setValues((v) => ({ ...v, voice }))}
            />
            <span className="hint">The voice “Play reply” reads its replies in; you can change it later.</span>
          </div>
        )}
        <label className="choice toggle-row">
          <input type="checkbox" checked={values.isPublic} onChange={(event) => setValues((v) => ({ ...v, isPublic: event.target.checked }))} />
          Public: other readers can chat with it too
        </label>

        <div aria-live="polite">
          {formError && <p className="form-error" role="alert">{formError}</p>}
          {existing && <ExistingModelNotice model={existing} />}
        </div>

        <div className="form-actions">
          {kind === "quick"
            ? (
              <QuickFineTuneButton
                input={quickInput}
                label="Create quick AI"
                onSuccess={created}
                onExists={(model) => { reset(); setExisting(model); }}
                onError={(error) => { reset(); showFailure(error); }}
              />
            )
            : (
              <button type="submit" className="button primary" disabled={creating} aria-busy={creating}>
                {creating ? "Creating…" : `Create ${kind === "author" ? "author" : "character"} AI`}
              </button>
            )}
        </div>
      </form>

      <p className="app-footer-links muted">
        A whole book at once? <a href={hrefFor.cast()}>Create a book's whole cast</a>
      </p>
    </section>
  );
}
