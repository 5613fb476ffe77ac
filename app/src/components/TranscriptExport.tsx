import { useId, useState } from "react";
import type { TranscriptFormat } from "../../../sdk/index.ts";
import { TRANSCRIPT_FORMATS } from "../hooks/useTranscripts.ts";

/**
 * "Export" for one conversation (`describedBy`: the id of what names it in the list): opens the
 * three formats, each a download.
 */
export function TranscriptExport({ describedBy, busy, onExport }: { describedBy: string; busy: boolean; onExport: (format: TranscriptFormat) => void }) {
  const [open, setOpen] = useState(false);
  const formats = useId();
  return (
    <div className="transcript-export">
      <button
        type="button"
        className="link-button small-link"
        aria-expanded={open}
        aria-controls={formats}
        aria-describedby={describedBy}
        onClick={() => setOpen((shown) => !shown)}
      >
        Export
      </button>
      {open && (
        <div id={formats} className="export-formats" role="group" aria-label="Export as">
          {TRANSCRIPT_FORMATS.map((kind) => (
            <button key={kind.format} type="button" className="button ghost small" disabled={busy} onClick={() => onExport(kind.format)}>
              {kind.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
