import { describe, expect, it } from "vitest";
import { chooseSpeakers } from "../../shared/chat/group-speakers.ts";

const personas = [
  { id: "a", name: "Elizabeth Bennet" },
  { id: "b", name: "Fitzwilliam Darcy" },
  { id: "c", name: "Jane Bennet" },
];
const never = () => 0.99;
const always = () => 0;

describe("chooseSpeakers", () => {
  it("list: everyone, in the order given", () => {
    expect(chooseSpeakers({ strategy: "list", personas, message: "Hello" }).map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it("manual: only the speaker", () => {
    expect(chooseSpeakers({ strategy: "manual", personas, message: "Hello", speaker: "b" }).map((p) => p.id)).toEqual(["b"]);
  });

  it("natural: the personas named, in the order the message names them, by full or first name", () => {
    const chosen = chooseSpeakers({ strategy: "natural", personas, message: "Jane, and you, Fitzwilliam Darcy?", random: never });
    expect(chosen.map((p) => p.id)).toEqual(["c", "b"]);
  });

  it("natural: a name inside another word is not a mention", () => {
    const chosen = chooseSpeakers({ strategy: "natural", personas, message: "Janet came by.", random: () => 0.7 });
    expect(chosen).toHaveLength(1); // nobody named or talkative: one at random
  });

  it("natural: the others speak by their talkativeness, after those named", () => {
    const chosen = chooseSpeakers({ strategy: "natural", personas, message: "Elizabeth?", random: always });
    expect(chosen.map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it("natural: when nobody would speak, one persona does", () => {
    const chosen = chooseSpeakers({ strategy: "natural", personas, message: "Anyone?", random: never });
    expect(chosen.map((p) => p.id)).toEqual(["c"]);
  });
});
