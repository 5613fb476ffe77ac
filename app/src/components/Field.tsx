import { useId } from "react";
import { counterShown, isOverLimit, LengthCounter } from "./LengthCounter.tsx";

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  multiline?: boolean;
  optional?: boolean;
  /** The server's limit: counted near it and flagged past it, never cut (see LengthCounter). */
  maxLength?: number;
}

/** A labelled text input whose API validation error is shown under it and announced, with its length limit. */
export function Field({ label, value, onChange, error, hint, multiline, optional, maxLength }: FieldProps) {
  const id = useId();
  const over = isOverLimit(value, maxLength);
  const counted = maxLength !== undefined && counterShown(value, maxLength);
  const described = [hint && `${id}-hint`, counted && `${id}-count`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    value,
    "aria-invalid": error || over ? true : undefined,
    "aria-describedby": described,
  } as const;
  return (
    <div className={`field${error || over ? " has-error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="muted"> (optional)</span>}
      </label>
      {multiline
        ? <textarea {...common} rows={3} onChange={(event) => onChange(event.target.value)} />
        : <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />}
      {hint && <span id={`${id}-hint`} className="hint">{hint}</span>}
      {maxLength !== undefined && <LengthCounter id={`${id}-count`} text={value} max={maxLength} />}
      {error && <span id={`${id}-error`} className="field-error">{error}</span>}
    </div>
  );
}
