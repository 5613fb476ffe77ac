import { describe, expect, it } from "vitest";
import { fitTrainingBudget } from "../../shared/training/budget.ts";
import { estimateTrainingExampleTokens, type TrainingExample } from "../../shared/training/jsonl.ts";

const STYLE = "You are Isla Corran, the keeper's daughter. Speak plainly, with salt in it.";
const example = (source: TrainingExample["source"], answerWords: number, topic = "Home"): TrainingExample => ({
  topic,
  question: `Tell me about ${topic}?`,
  answer: Array.from({ length: answerWords }, (_, i) => `word${i}`).join(" "),
  source,
});
const cost = (examples: TrainingExample[]) => examples.reduce((sum, e) => sum + estimateTrainingExampleTokens(STYLE, e), 0);

describe("fitting a run's examples to its budget", () => {
  it("keeps everything that fits, in order", () => {
    const examples = Array.from({ length: 12 }, (_, i) => example(i % 2 ? "user" : "generated", 10, `T${i}`));
    const fitted = fitTrainingBudget(STYLE, examples, { maxExamples: 100, maxTrainedTokens: 1_000_000, epochs: 2 });
    expect(fitted).toEqual({ fits: true, examples, dropped: 0, trainedTokens: cost(examples) * 2 });
  });

  it("over MAX_TRAINING_TOKENS drops whole generated examples first and keeps the reader's own", () => {
    const own = Array.from({ length: 6 }, (_, i) => example("user", 40, `Own${i}`));
    const generated = Array.from({ length: 8 }, (_, i) => example("generated", 40, `Gen${i}`));
    const examples = [...generated.slice(0, 4), ...own, ...generated.slice(4)];
    // Room for 11 of the 14 (equal sizes), over 3 epochs.
    const perExample = estimateTrainingExampleTokens(STYLE, own[0]);
    const fitted = fitTrainingBudget(STYLE, examples, { maxExamples: 100, maxTrainedTokens: perExample * 11 * 3 + 2, epochs: 3 });
    if (!fitted.fits) throw new Error(fitted.reason);
    expect(fitted.dropped).toBe(3);
    expect(fitted.examples).toHaveLength(11);
    expect(fitted.examples.filter((e) => e.source === "user")).toEqual(own);
    // The generated ones kept are the first in training-file order, and the order is kept.
    expect(fitted.examples.map((e) => e.topic)).toEqual([
      "Gen0", "Gen1", "Gen2", "Gen3", "Own0", "Own1", "Own2", "Own3", "Own4", "Own5", "Gen4",
    ]);
    expect(fitted.trainedTokens).toBeLessThanOrEqual(perExample * 11 * 3 + 2);
  });

  it("the plan's max_examples caps the count, the reader's own first", () => {
    const examples = [...Array.from({ length: 8 }, (_, i) => example("generated", 5, `Gen${i}`)),
      ...Array.from({ length: 6 }, (_, i) => example("chat", 5, `Chat${i}`))];
    const fitted = fitTrainingBudget(STYLE, examples, { maxExamples: 10, maxTrainedTokens: 10_000_000, epochs: 1 });
    if (!fitted.fits) throw new Error(fitted.reason);
    expect(fitted.examples.filter((e) => e.source === "chat")).toHaveLength(6);
    expect(fitted.examples.map((e) => e.topic).slice(0, 4)).toEqual(["Gen0", "Gen1", "Gen2", "Gen3"]);
    expect(fitted.dropped).toBe(4);
  });

  it("skips one example too long for the room left for a shorter one after it", () => {
    const shorts = Array.from({ length: 10 }, (_, i) => example("user", 5, `Short${i}`));
    const examples = [...shorts.slice(0, 3), example("user", 5000, "Long"), ...shorts.slice(3)];
    const fitted = fitTrainingBudget(STYLE, examples, { maxExamples: 100, maxTrainedTokens: cost(shorts) + 5, epochs: 1 });
    if (!fitted.fits) throw new Error(fitted.reason);
    expect(fitted.examples.map((e) => e.topic)).not.toContain("Long");
    expect(fitted.examples).toHaveLength(10);
  });

  it("fails with a clear reason when not even the minimum of 10 fits", () => {
    const examples = Array.from({ length: 12 }, (_, i) => example("user", 50, `T${i}`));
    const fitted = fitTrainingBudget(STYLE, examples, { maxExamples: 100, maxTrainedTokens: 500, epochs: 2 });
    expect(fitted.fits).toBe(false);
    if (fitted.fits) return;
    expect(fitted.reason).toMatch(/^Over MAX_TRAINING_TOKENS: even the 10 shortest examples need about \d+ training tokens \(2 epochs\), more than the 500 one run may train; nothing was uploaded or spent\.$/);
  });
});
