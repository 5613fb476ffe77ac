import { type ChangeEvent, useId } from "react";

/**
 * A button-styled file picker (the input itself is hidden but labelled): the picked file is handed
 * on and the input cleared, so the same file can be picked again after a fix.
 */
export function FilePicker(props: {
  label: string;
  /** What the hidden input is called for assistive technology. */
  inputLabel: string;
  accept: string;
  busy: boolean;
  onFile: (file: File) => void;
  id?: string;
}) {
  const generated = useId();
  const id = props.id ?? generated;
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) props.onFile(file);
  };
  return (
    <>
      <label htmlFor={id} className={`button ghost small file-button${props.busy ? " busy" : ""}`}>
        {props.busy ? "Importing…" : props.label}
      </label>
      <input
        id={id}
        type="file"
        accept={props.accept}
        className="visually-hidden"
        aria-label={props.inputLabel}
        disabled={props.busy}
        onChange={picked}
      />
    </>
  );
}

/** Why an import was refused, one line each (nothing when it was not). */
export function ImportProblems({ what, lines }: { what: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <div className="form-error import-errors" role="alert">
      <p>The {what} was not imported:</p>
      <ul>{lines.map((line) => <li key={line}>{line}</li>)}</ul>
    </div>
  );
}
