import { type DragEvent, useId, useState } from "react";
import type { Model } from "../../../sdk/index.ts";
import type { BookChoice } from "../hooks/useBookChoices.ts";
import { useCardImport } from "../hooks/useCards.ts";
import { CardPreviewPanel } from "./CardPreviewPanel.tsx";
import { hrefFor, navigate } from "../router.ts";
import { ExistingModelNotice } from "./ExistingModelNotice.tsx";
import { FilePicker, ImportProblems } from "./FilePicker.tsx";

/**
 * "Import a Character Card": drop a card (JSON or PNG) on the zone or pick the file; its preview
 * shows, the reader chooses the book, and the new model opens; or the API's reasons are listed.
 */
export function CardImport() {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const { busy, reading, problems, existing, pending, readFile, create, discard } = useCardImport();

  const take = (file: File | undefined) => {
    if (file) void readFile(file);
  };
  const created = async (book: BookChoice, quick: boolean) => {
    const model: Model | undefined = await create(book, quick);
    if (model) navigate(hrefFor.chat(model.id));
  };
  const dropped = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files?.[0]);
  };

  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <p className="card-import-toggle">
        <button type="button" className="button ghost small" aria-expanded={false} onClick={() => setOpen(true)}>
          Import a Character Card
        </button>
      </p>
    );
  }
  return (
    <section className="card form card-import" aria-labelledby={`${id}-title`}>
      <div className="card-import-head">
        <h2 id={`${id}-title`}>Import a Character Card</h2>
        <button type="button" className="button ghost small" aria-expanded onClick={() => setOpen(false)}>Close</button>
      </div>
      {pending
        ? <CardPreviewPanel card={pending} busy={busy} onCreate={(book, quick) => void created(book, quick)} onCancel={discard} />
        : (
          <div
            className={`drop-zone${dragging ? " dragging" : ""}`}
            role="group"
            aria-label="Drop a Character Card here"
            onDragOver={(event) => { event.preventDefault(); setDragging(true); }}
            onDragLeave={() => setDragging(false)}
            onDrop={dropped}
          >
            <p>Drop a card here (V1, V2 or V3, JSON or PNG), or</p>
            <FilePicker
              id={id}
              label="Choose a card file"
              inputLabel="Character Card file (JSON or PNG)"
              accept=".json,.png,application/json,image/png"
              busy={reading}
              onFile={take}
            />
          </div>
        )}
      <div aria-live="polite">
        {reading && <p role="status">Reading the card…</p>}
        <ImportProblems what="card" lines={problems} />
        {existing && <ExistingModelNotice model={existing} />}
      </div>
    </section>
  );
}
