import { estimateTokens } from "../llm/tokens.ts";

/** A passage as private.passages_for_turn answers it: only ever one the reader has reached. */
export interface RetrievedPassage {
  id: number;
  chapter: number;
  position: number;
  content: string;
}

/** What private.passages_for_turn answers for a turn whose persona has a book text. */
export interface TurnBook {
  book: { id: string; title: string; blurb: string | null };
  /** Where the reader is (the request's readingPosition, else their stored progress); null: not set. */
  reached: {
    chapter: number;
    percent: number | null;
    title: string | null;
    source: "request" | "progress";
    chapters: number;
  } | null;
  /** Best first; empty without a place. */
  passages: RetrievedPassage[];
}

/** A passage a reply drew on, as the response names it. */
export interface Citation {
  chapter: number;
  passageId: number;
  excerpt: string;
}

/** Characters of a passage quoted in a citation. */
const EXCERPT_CHARS = 200;

function excerptOf(content: string): string {
  const flat = content.replace(/\s+/g, " ").trim();
  return flat.length <= EXCERPT_CHARS ? flat : `${flat.slice(0, EXCERPT_CHARS - 1).trimEnd()}…`;
}

function describePlace(reached: NonNullable<TurnBook["reached"]>): string {
  if (reached.chapter > reached.chapters) return "has finished the book";
  const chapter = reached.title ? `chapter ${reached.chapter} ("${reached.title}")` : `chapter ${reached.chapter}`;
  if (reached.percent === null) return `has read up to the end of ${chapter}`;
  return `is ${Math.round(reached.percent)}% of the way through ${chapter}`;
}

/**
 * The book part of a turn's system prompt and the citations it rests on. With a place: what the
 * reader has reached, the instruction never to reveal anything later, and the retrieved passages
 * (best first, as many as fit `tokenBudget`), each labelled with its chapter. Without one: the
 * book's public blurb only. The passages are all at or before the reader's place already (the
 * database selects no other); this only chooses how many fit.
 */
export function buildBookContext(turnBook: TurnBook, tokenBudget: number, fallbackBlurb: string | null) {
  const title = turnBook.book.title;
  if (!turnBook.reached) {
    const blurb = turnBook.book.blurb ?? fallbackBlurb;
    return {
      prompt: [
        `You are talking with a reader of "${title}" who has not said how far they have read.`,
        blurb ? `All they know of the book is its public description: ${blurb}` : "",
        "Reveal nothing of the story beyond that description: no events, twists or endings. If asked, say you would not spoil it and ask how far they have read.",
      ].filter(Boolean).join("\n"),
      citations: [] as Citation[],
    };
  }
  const kept: RetrievedPassage[] = [];
  let used = 0;
  for (const passage of turnBook.passages) {
    const cost = estimateTokens(passage.content) + 8;
    if (used + cost > tokenBudget) continue;
    used += cost;
    kept.push(passage);
  }
  const finished = turnBook.reached.chapter > turnBook.reached.chapters;
  const lines = [
    `You are talking with a reader of "${title}" who ${describePlace(turnBook.reached)}.`,
    finished
      ? "They know the whole story."
      : "They have not read further. Never reveal, hint at or confirm anything that happens after that point, even if asked directly: say they will find out as they read on.",
  ];
  if (kept.length > 0) {
    lines.push("Passages of the book the reader has already read, to draw on (quote them freely):");
    for (const passage of kept) lines.push(`[chapter ${passage.chapter}] ${passage.content}`);
  }
  return {
    prompt: lines.join("\n"),
    citations: kept.map((passage) => ({ chapter: passage.chapter, passageId: passage.id, excerpt: excerptOf(passage.content) })),
  };
}
