import { useState } from "react";
import { type CreateQuickInput, type Model, StoryvoiceError } from "../../../sdk/index.ts";
import { hrefFor } from "../router.ts";
import { api } from "../services.ts";

export interface QuickFineTuneButtonProps {
  /** What to create; a function is read at click time (a form's current values). */
  input: CreateQuickInput | (() => CreateQuickInput);
  variant?: "full" | "icon";
  label?: string;
  onSuccess?: (model: Model) => void;
  /** A live model for this persona exists already; without a handler the button links to it. */
  onExists?: (model: Model) => void;
  onError?: (error: StoryvoiceError) => void;
}

/** Creates a quick fine-tune in one tap: "Creating…" while it works, handles "already exists". */
export function QuickFineTuneButton({ input, variant = "full", label, onSuccess, onExists, onError }: QuickFineTuneButtonProps) {
  const [creating, setCreating] = useState(false);
  const [existing, setExisting] = useState<Model | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const values = () => (typeof input === "function" ? input() : input);
  const name = label ?? `Quick fine-tune ${values().entityName || "this persona"}`;

  async function create() {
    setCreating(true);
    setExisting(null);
    setFailure(null);
    try {
      const created = await api.createQuick(values());
      onSuccess?.(created.model);
    } catch (error) {
      const known = error instanceof StoryvoiceError ? error : new StoryvoiceError({ status: 0, code: "unknown", message: String(error) });
      if (known.status === 409 && known.model) {
        if (onExists) onExists(known.model);
        else setExisting(known.model);
      } else if (onError) onError(known);
      else setFailure(known.message);
    } finally {
      setCreating(false);
    }
  }

  return (
    <span className={`quick-tune quick-tune-${variant}`}>
      <button
        type="button"
        className={variant === "icon" ? "button icon primary" : "button primary"}
        onClick={() => void create()}
        disabled={creating}
        aria-busy={creating}
        aria-label={variant === "icon" ? (creating ? "Creating…" : name) : undefined}
        title={variant === "icon" ? name : undefined}
      >
        {variant === "icon"
          ? <span aria-hidden="true">{creating ? "…" : "✨"}</span>
          : creating ? "Creating…" : <><span aria-hidden="true">✨ </span>{label ?? "Quick fine-tune"}</>}
      </button>
      <span aria-live="polite" className="quick-tune-status">
        {existing && (
          <>
            {existing.entity_name} already exists. <a href={hrefFor.chat(existing.id)}>Open it</a>
          </>
        )}
        {failure && <span className="form-error">{failure}</span>}
      </span>
    </span>
  );
}
