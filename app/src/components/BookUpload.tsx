import { type FormEvent, useId, useState } from "react";
import { type Book, StoryvoiceError } from "../../../sdk/index.ts";
import { api } from "../services.ts";

/** The file's bytes as base64, in slices (a whole book at once would overflow the call stack). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Uploads the reader's own text of a book (plain text, Markdown or EPUB) for the book id the
 * persona carries: chat then draws on it, up to where the reader has read. Sharing it with every
 * reader is the uploader's own statement that the text is public domain or theirs to share.
 */
export function BookUpload({ bookId, title, onUploaded, replacing }: {
  bookId: string;
  title: string;
  onUploaded: (book: Book) => void;
  replacing?: boolean;
}) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [share, setShare] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setError("Choose the book's file first.");
      return;
    }
    setBusy(true);
    setError(null);
    setStatus("Uploading…");
    try {
      const name = file.name.toLowerCase();
      const body = name.endsWith(".epub")
        ? { epub: await base64Of(file), title, isPublic: share }
        : { text: await file.text(), format: name.endsWith(".md") || name.endsWith(".markdown") ? "markdown" as const : "text" as const, title, isPublic: share };
      const { book } = await api.uploadBook(bookId, body);
      setStatus(`Uploaded: ${book.chapters.length} chapters, ${book.passageCount} passages.`);
      onUploaded(book);
    } catch (failure) {
      setStatus(null);
      setError(failure instanceof StoryvoiceError && failure.status === 413
        ? `That book is too large: ${failure.message}`
        : `Could not upload it: ${(failure as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="book-upload" onSubmit={upload} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{replacing ? "Replace your text of this book" : "Add the book's text"}</h2>
      <p className="hint">A .txt, .md or .epub file. Chapters are found from its headings; chat then draws on it, never past where you have read.</p>
      <label className="field" htmlFor={`${id}-file`}>
        <span>Book file</span>
        <input
          id={`${id}-file`}
          type="file"
          accept=".txt,.md,.markdown,.epub,text/plain,text/markdown,application/epub+zip"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </label>
      <label className="choice">
        <input type="checkbox" checked={share} onChange={(event) => setShare(event.target.checked)} />
        <span>Share it with every reader (it is public domain, or mine to share)</span>
      </label>
      <button type="submit" className="button primary small" disabled={busy}>{busy ? "Uploading…" : "Upload"}</button>
      <p className="hint" role="status" aria-live="polite">{status}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
