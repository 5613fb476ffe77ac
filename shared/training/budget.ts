import { estimateTrainingExampleTokens, MIN_TRAINING_EXAMPLES, type TrainingExample } from "./jsonl.ts";

/** What one run may train on: the plan's examples and the deployment's tokens (file tokens times epochs). */
export interface TrainingBudget {
  maxExamples: number;
  maxTrainedTokens: number;
  epochs: number;
}

/** The examples a run trains on, and what had to stay out. */
export type FittedExamples =
  | { fits: true; examples: TrainingExample[]; dropped: number; trainedTokens: number }
  | { fits: false; reason: string };

const readerWritten = (example: TrainingExample) => example.source === "user" || example.source === "chat";

/**
 * Fits a run's examples into its budget before anything is uploaded: whole examples are dropped,
 * the reader's own (`user`, `chat`) kept before generated ones, each kind in training-file order;
 * an example too long for the room left is skipped for a shorter one after it. The kept ones keep
 * their order. When not even the provider's minimum of examples fits, the run cannot train: the
 * answer says why, and nothing should be spent on it.
 */
export function fitTrainingBudget(
  styleGuide: string,
  examples: readonly TrainingExample[],
  budget: TrainingBudget,
): FittedExamples {
  const epochs = Math.max(1, budget.epochs);
  const tokenRoom = Math.floor(budget.maxTrainedTokens / epochs);
  const byPriority = examples.map((example, index) => ({ example, index }))
    .sort((a, b) => Number(readerWritten(b.example)) - Number(readerWritten(a.example)) || a.index - b.index);
  const kept = new Set<number>();
  let tokens = 0;
  for (const { example, index } of byPriority) {
    if (kept.size >= budget.maxExamples) break;
    const cost = estimateTrainingExampleTokens(styleGuide, example);
    if (tokens + cost > tokenRoom) continue;
    kept.add(index);
    tokens += cost;
  }
  // Fewer examples than the minimum is the training file's own error (buildTrainingJsonl says so).
  if (examples.length < MIN_TRAINING_EXAMPLES) {
    return { fits: true, examples: [...examples], dropped: 0, trainedTokens: tokens * epochs };
  }
  if (kept.size < MIN_TRAINING_EXAMPLES) {
    const smallest = examples.map((example) => estimateTrainingExampleTokens(styleGuide, example)).sort((a, b) => a - b)
      .slice(0, MIN_TRAINING_EXAMPLES).reduce((sum, cost) => sum + cost, 0);
    return {
      fits: false,
      reason: `Over MAX_TRAINING_TOKENS: even the ${MIN_TRAINING_EXAMPLES} shortest examples need about ` +
        `${smallest * epochs} training tokens (${epochs} epochs), more than the ${budget.maxTrainedTokens} one run may ` +
        "train; nothing was uploaded or spent.",
    };
  }
  return {
    fits: true,
    examples: examples.filter((_, index) => kept.has(index)),
    dropped: examples.length - kept.size,
    trainedTokens: tokens * epochs,
  };
}
