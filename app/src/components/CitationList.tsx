import type { Citation } from "../../../sdk/index.ts";

/** The book passages a reply drew on; each opens its passage in the reader. */
export function CitationList({ citations, onOpen }: { citations: Citation[]; onOpen: (citation: Citation) => void }) {
  if (citations.length === 0) return null;
  return (
    <details className="citations">
      <summary>From the book ({citations.length})</summary>
      <ul>
        {citations.map((citation) => (
          <li key={citation.passageId}>
            <button type="button" className="citation" onClick={() => onOpen(citation)}>
              <span className="citation-chapter">Chapter {citation.chapter}</span>
              <span className="citation-excerpt">{citation.excerpt}</span>
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
