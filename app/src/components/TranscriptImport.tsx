import { FilePicker, ImportProblems } from "./FilePicker.tsx";

/** "Import": a file picker for a JSONL transcript; the API's line errors are listed under it. */
export function TranscriptImport({ busy, errors, onFile }: { busy: boolean; errors: string[]; onFile: (file: File) => void }) {
  return (
    <div className="transcript-import">
      <FilePicker
        label="Import"
        inputLabel="Import a transcript (JSONL)"
        accept=".jsonl,application/x-ndjson,application/jsonl,text/plain"
        busy={busy}
        onFile={onFile}
      />
      <ImportProblems what="transcript" lines={errors} />
    </div>
  );
}
