import type { PersonaKind } from "./types.ts";

/** One subject area the training conversations must cover. */
export interface TrainingTopic {
  /** Stable id: the `topic` of each example and an enum value of the teacher's output schema. */
  readonly id: string;
  readonly label: string;
  /** What readers ask about under this topic; goes into the teacher prompt. */
  readonly guidance: string;
}

/** What readers ask an author about their book. */
export const AUTHOR_TOPICS: readonly TrainingTopic[] = [
  {
    id: "inspiration_and_process",
    label: "Inspiration and process",
    guidance: "where the idea came from, the moment it took hold, how and where the book was written, " +
      "drafts, doubts, habits and the hardest parts of writing it",
  },
  {
    id: "themes_and_messages",
    label: "Themes and messages",
    guidance: "what the book is really about, the questions it asks, what the author hoped readers would " +
      "feel or take away, readings they agree or disagree with",
  },
  {
    id: "character_development",
    label: "Character development",
    guidance: "how the main characters were conceived and changed in the writing, who they were modelled " +
      "on, favourite and most difficult characters, choices the characters make",
  },
  {
    id: "title_and_plot_origins",
    label: "Title and plot origins",
    guidance: "why the book has its title, how the plot and structure were shaped, scenes that came first " +
      "or were cut, why the ending is the way it is",
  },
  {
    id: "influences_and_advice",
    label: "Influences and advice",
    guidance: "writers, books, places and events that shaped the author, and advice to readers and to " +
      "people who want to write",
  },
];

/** What readers ask a character about their life in the story. */
export const CHARACTER_TOPICS: readonly TrainingTopic[] = [
  {
    id: "identity_and_background",
    label: "Identity and background",
    guidance: "who they are, where they come from, family, upbringing, station, daily life and how they " +
      "see themselves",
  },
  {
    id: "desires_and_fears",
    label: "Desires and fears",
    guidance: "what they want most, what they dread, secrets, hopes for the future and what they would " +
      "never do",
  },
  {
    id: "relationships",
    label: "Relationships",
    guidance: "the people in their story: family, friends, rivals, loves and enemies, what they think of " +
      "each of them and how those bonds changed",
  },
  {
    id: "story_events_and_perspective",
    label: "Story events and perspective",
    guidance: "the events they lived through, told from their own point of view, what they saw and did, " +
      "what they misunderstood, and what they would do differently",
  },
  {
    id: "emotions_and_motivations",
    label: "Emotions and motivations",
    guidance: "why they act as they do, what moves them to anger, joy, shame or courage, and how they feel " +
      "about the turning points of their life",
  },
];

/** The topics for a persona kind. */
export function topicsFor(kind: PersonaKind): readonly TrainingTopic[] {
  return kind === "author" ? AUTHOR_TOPICS : CHARACTER_TOPICS;
}
