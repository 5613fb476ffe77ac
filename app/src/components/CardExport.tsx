import { useId, useState } from "react";
import type { Model } from "../../../sdk/index.ts";
import { useCardExport } from "../hooks/useCards.ts";

/** "Card": downloads the persona as a Character Card V3, JSON or PNG. */
export function CardExport({ model }: { model: Model }) {
  const [open, setOpen] = useState(false);
  const formats = useId();
  const { exporting, error, exportCard } = useCardExport(model);
  return (
    <div className="card-export">
      <button type="button" className="button ghost small" aria-expanded={open} aria-controls={formats} onClick={() => setOpen((shown) => !shown)}>
        Export card
      </button>
      {open && (
        <div id={formats} className="export-formats" role="group" aria-label="Export card as">
          <button type="button" className="button ghost small" disabled={exporting} onClick={() => void exportCard("json")}>JSON</button>
          <button type="button" className="button ghost small" disabled={exporting} onClick={() => void exportCard("png")}>PNG</button>
        </div>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}
