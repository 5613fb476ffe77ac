import type { MemoryUsed } from "../../../sdk/index.ts";

/**
 * Under a stored reply: "Remembered" when the persona was given pinned memories for it (opens
 * their list), and "Pin" to keep the reply as a memory.
 */
export function ReplyMemoryTools({ used, pinned, onPin }: {
  used?: MemoryUsed[];
  pinned: boolean;
  onPin?: () => void;
}) {
  return (
    <>
      {used && used.length > 0 && (
        <details className="remembered">
          <summary>
            Remembered<span className="visually-hidden"> {used.length} memories</span>
          </summary>
          <ul aria-label="Memories given for this reply">
            {used.map((memory) => <li key={memory.id}>{memory.text}</li>)}
          </ul>
        </details>
      )}
      {onPin && (
        <button type="button" className="play-button" onClick={onPin} disabled={pinned} aria-pressed={pinned}>
          {pinned ? "Pinned" : "Pin"}<span className="visually-hidden"> reply as a memory</span>
        </button>
      )}
    </>
  );
}
