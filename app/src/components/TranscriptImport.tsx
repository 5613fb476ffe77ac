import { type ChangeEvent, useId } from "react";

/** "Import": a file picker for a JSONL transcript; the API's line errors are listed under it. */
export function TranscriptImport({ busy, errors, onFile }: { busy: boolean; errors: string[]; onFile: (file: File) => void }) {
  const id = useId();
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) onFile(file);
  };
  return (
    <div className="transcript-import">
      <label htmlFor={id} className={`button ghost small file-button${busy ? " busy" : ""}`}>
        {busy ? "Importing…" : "Import"}
      </label>
      <input
        id={id}
        type="file"
        accept=".jsonl,application/x-ndjson,application/jsonl,text/plain"
        className="visually-hidden"
        aria-label="Import a transcript (JSONL)"
        disabled={busy}
        onChange={picked}
      />
      {errors.length > 0 && (
        <div className="form-error import-errors" role="alert">
          <p>The transcript was not imported:</p>
          <ul>{errors.map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      )}
    </div>
  );
}
