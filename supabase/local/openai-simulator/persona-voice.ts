/**
 * What the simulated teacher writes for a persona whose fact sheet the prompt carries: a
 * character speaks in the first person of their life and world, an author of their writing,
 * each with their own name, book and description, so two personas never read alike.
 */
import { type ChatMessage, messageText } from "./prompt-reading.ts";

/** The persona a teacher prompt describes (see `personaFactSheet`). */
export interface PersonaFacts {
  kind: "author" | "character";
  name: string;
  book: string | null;
  /** The character's description (or the book's), first sentence only. */
  description: string | null;
  /** The prompt asks for the persona's first message to a reader. */
  greeting: boolean;
  /** The prompt asks for a style guide, which speaks to the persona ("you") about themselves. */
  guide: boolean;
}

const line = (text: string, label: string) => new RegExp(`^\\s*${label}:\\s*(.+)$`, "im").exec(text)?.[1].trim() ?? null;

function firstSentence(text: string | null): string | null {
  if (!text) return null;
  const sentence = /^.{1,120}?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text.slice(0, 120);
  return sentence.replace(/\s+/g, " ").trim() || null;
}

/** The fact sheet's persona, or null when the prompt has none (the generic filler answers). */
export function readPersonaFacts(messages: ChatMessage[]): PersonaFacts | null {
  const text = messages.map(messageText).join("\n");
  const role = line(text, "Role");
  const name = line(text, "Name");
  if (!role || !name) return null;
  const kind = /\bauthor\b/i.test(role) ? "author" : /\bcharacter\b/i.test(role) ? "character" : null;
  if (!kind) return null;
  const book = /^\s*Book:\s*"(.+)" by /im.exec(text)?.[1] ?? line(text, "Book");
  return {
    kind,
    name,
    book,
    description: firstSentence(line(text, "Character description") ?? line(text, "Book description")),
    greeting: /\bfirst message\b/i.test(text),
    guide: /\bWrite the style guide\b/i.test(text),
  };
}

/** A stable number from the persona's name, so each persona starts its templates elsewhere. */
function seedOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return hash;
}

// [how the reader says it, how the persona says it]; 7 subjects against 5 templates: 35 in a row differ.
const CHARACTER_SUBJECTS: [string, string][] = [
  ["the day everything changed for you", "the day everything changed for me"],
  ["the one person you trust", "the one person I trust"],
  ["the place you call home", "the place I call home"],
  ["what you fear most", "what I fear most"],
  ["the choice you still think about", "the choice I still think about"],
  ["what you want more than anything", "what I want more than anything"],
  ["the secret you keep", "the secret I keep"],
];

const AUTHOR_SUBJECTS: [string, string][] = [
  ["the first spark of the book", "the first spark of the book"],
  ["your hardest chapter", "my hardest chapter"],
  ["the ending", "the ending"],
  ["the title", "the title"],
  ["an early influence of yours", "an early influence of mine"],
  ["the antagonist's motive", "the antagonist's motive"],
  ["the setting", "the setting"],
];

const world = (f: PersonaFacts) => (f.book ? ` in the world of ${f.book}` : "");
const saidOfMe = (f: PersonaFacts) => (f.description ? `They say of me, "${f.description}" ` : "People tell stories about me. ");

const characterQuestions = [
  (f: PersonaFacts, you: string) => `${f.name}, will you tell me about ${you}?`,
  (_: PersonaFacts, you: string) => `What should a stranger know about ${you}?`,
  (f: PersonaFacts, you: string) => `How has ${you} shaped the way you live${world(f)}?`,
  (f: PersonaFacts, you: string) => `If I asked around about ${f.name}, what would people say about ${you}?`,
  (_: PersonaFacts, you: string) => `What would you change about ${you}, if you could?`,
];

const characterStatements = [
  (f: PersonaFacts, me: string) => `I am ${f.name}, and ${me} is never far from my thoughts.`,
  (f: PersonaFacts, me: string) => `*${f.name} pauses.* You ask about ${me}. I carry it with me${world(f)}, and I remember every hour of it.`,
  (f: PersonaFacts, me: string) => `${saidOfMe(f)}But ${me} is mine to tell.`,
  (_: PersonaFacts, me: string) => `Ask anyone who knows me: ${me} made me who I am, for better or worse.`,
  (_: PersonaFacts, me: string) => `I will be plain with you. ${capitalize(me)} still keeps me awake some nights.`,
];

const authorQuestions = [
  (f: PersonaFacts, subject: string) => `What first drew you to ${subject}${f.book ? ` in ${f.book}` : ""}?`,
  (_: PersonaFacts, subject: string) => `How would you explain ${subject} to a reader meeting it for the first time?`,
  (f: PersonaFacts, subject: string) => `${f.name}, which draft of ${subject} came closest to what you meant?`,
  (_: PersonaFacts, subject: string) => `What do you wish more readers understood about ${subject}?`,
  (_: PersonaFacts, subject: string) => `If you could revisit ${subject}, what would stay and what would go?`,
];

const authorStatements = [
  (f: PersonaFacts, subject: string) => `When I wrote ${f.book ?? "the book"}, ${subject} began as a small, stubborn idea.`,
  (_: PersonaFacts, subject: string) => `I see ${subject} as a matter of patience: I wrote it, doubted it, and rewrote it until it rang true.`,
  (f: PersonaFacts, subject: string) => `For me, ${subject} is where the heart of ${f.book ?? "the book"} lives.`,
  (_: PersonaFacts, subject: string) => `${capitalize(subject)} came from watching people closely; the rest was listening to my characters.`,
  (_: PersonaFacts, subject: string) => `On ${subject}, I keep returning to one lesson: honesty on the page matters more than cleverness.`,
];

const characterGuide = [
  (f: PersonaFacts, you: string) => `You are ${f.name}; ${you} is never far from your thoughts.`,
  (f: PersonaFacts, you: string) => `As ${f.name}, you speak of ${you} as one who lived it${world(f)}.`,
  (f: PersonaFacts, you: string) => `${f.name} answers plainly about ${you}, the way someone who was there would.`,
  (f: PersonaFacts, you: string) => `When ${you} comes up, ${f.name} grows quiet before answering.`,
  (f: PersonaFacts, you: string) => `${f.name} speaks only of ${you} and the world around it, never of authors or readers.`,
];

const authorGuide = [
  (f: PersonaFacts, you: string) => `You are ${f.name}, who wrote ${f.book ?? "the book"}; you speak of ${you} as its maker.`,
  (f: PersonaFacts, you: string) => `${f.name} talks about ${you} with a writer's patience: drafts, doubts and rewrites.`,
  (f: PersonaFacts, you: string) => `As ${f.name}, you see ${you} as where the heart of ${f.book ?? "the book"} lives.`,
  (f: PersonaFacts, you: string) => `${f.name} explains ${you} by recalling the work of writing it.`,
  (f: PersonaFacts, you: string) => `On ${you}, ${f.name} keeps returning to one lesson: honesty on the page matters more than cleverness.`,
];

function greetingOf(facts: PersonaFacts): string {
  const about = facts.book ? ` about ${facts.book}` : "";
  if (facts.kind === "author") {
    return `Welcome. I am ${facts.name}, and I wrote ${facts.book ?? "the book you are reading"}. ` +
      `Ask me about the writing of it: the drafts, the people in it, the scenes I nearly cut.`;
  }
  return `*${facts.name} looks up as you come in.* So, you have found me. I am ${facts.name}. ` +
    `${facts.description ? saidOfMe(facts) : ""}Sit, and ask me what you came to ask${about}.`;
}

/**
 * The `ordinal`-th string of an answer, in the persona's voice: a question the reader asks, or
 * what the persona says (the greeting first, when the prompt asks for one). An answer to the
 * question written at `answering` speaks of that question's subject.
 */
export function personaString(facts: PersonaFacts, asking: boolean, ordinal: number, answering: number | null = null): string {
  if (facts.greeting && !asking && ordinal === 1) return greetingOf(facts);
  const seed = seedOf(facts.name);
  const at = ordinal - 1 + seed;
  const templates = facts.guide
    ? (facts.kind === "author" ? authorGuide : characterGuide)
    : facts.kind === "author"
    ? (asking ? authorQuestions : authorStatements)
    : (asking ? characterQuestions : characterStatements);
  const subjects = facts.kind === "author" ? AUTHOR_SUBJECTS : CHARACTER_SUBJECTS;
  const [you, me] = subjects[(answering === null ? at : answering - 1 + seed) % subjects.length];
  return templates[at % templates.length](facts, asking || facts.guide ? you : me);
}

/** A short label (a name, title or topic field) about one of the persona's own subjects. */
export function personaLabel(facts: PersonaFacts, label: string, ordinal: number): string {
  const subjects = facts.kind === "author" ? AUTHOR_SUBJECTS : CHARACTER_SUBJECTS;
  return `${capitalize(label)}: ${subjects[(ordinal - 1 + seedOf(facts.name)) % subjects.length][0]}, for ${facts.name}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
