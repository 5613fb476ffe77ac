import { useId } from "react";

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  multiline?: boolean;
  optional?: boolean;
  maxLength?: number;
}

/** A labelled text input whose API validation error is shown under it and announced. */
export function Field({ label, value, onChange, error, hint, multiline, optional, maxLength }: FieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    value,
    maxLength,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described,
  } as const;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="muted"> (optional)</span>}
      </label>
      {multiline
        ? <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
        : <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />}
      {hint && <span id={`${id}-hint`} className="hint">{hint}</span>}
      {error && <span id={`${id}-error`} className="field-error">{error}</span>}
    </div>
  );
}
