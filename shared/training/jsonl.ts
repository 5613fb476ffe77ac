/**
 * The training file: OpenAI chat fine-tuning JSONL (also what Together AI and other
 * OpenAI-compatible trainers take), checked against the provider's rules before any upload so a
 * bad file fails here with line numbers instead of minutes later in the provider's validation.
 */
import { TrainingDataError } from "../llm/errors.ts";
import { estimateMessageTokens } from "../llm/tokens.ts";
import { unstorableTextProblem } from "../models/text.ts";

// Re-exported: callers of the training-file rules catch it beside them.
export { TrainingDataError } from "../llm/errors.ts";

/** One turn of a stored conversation (the system prompt is never stored: the style guide is). */
export interface ConversationMessage {
  role: "user" | "assistant";
  content: string;
}

/** One question and the persona's answer, under one of the persona's topics. */
export interface TrainingExample {
  topic: string;
  question: string;
  answer: string;
  /** The whole conversation, when it is more than one question and answer (user-written examples). */
  messages?: readonly ConversationMessage[];
  /** Where a stored example came from: the reader's own (`user`, `chat`) are kept first when a run must drop some. */
  source?: "generated" | "user" | "chat";
}

/** OpenAI refuses a training file with fewer examples than this. */
export const MIN_TRAINING_EXAMPLES = 10;
/** OpenAI's per-example context limit for the gpt-4.1-mini class of base models. */
export const MAX_TOKENS_PER_EXAMPLE = 65_536;

const ALLOWED_ROLES = new Set(["system", "user", "assistant"]);
const ALLOWED_MESSAGE_KEYS = new Set(["role", "content", "name", "weight"]);
// Keys OpenAI accepts beside `messages`; this project only writes `messages`.
const ALLOWED_EXAMPLE_KEYS = new Set(["messages", "tools", "parallel_tool_calls", "functions"]);

/** A rule the file breaks; `line` is 1-based, null for the file as a whole. */
export interface TrainingJsonlProblem {
  line: number | null;
  problem: string;
}

// OpenAI's counting adds a few tokens per conversation, besides each message's framing.
const TOKENS_PER_EXAMPLE = 3;

function estimateExampleTokens(messages: { content: string }[]): number {
  return messages.reduce((sum, message) => sum + estimateMessageTokens(message.content), TOKENS_PER_EXAMPLE);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks one line of a chat fine-tuning file; returns its problems (empty when valid). */
export function validateTrainingLine(line: string, lineNumber = 1): TrainingJsonlProblem[] {
  const problems: TrainingJsonlProblem[] = [];
  const report = (problem: string) => problems.push({ line: lineNumber, problem });

  if (line.trim() === "") {
    report("is empty");
    return problems;
  }
  let example: unknown;
  try {
    example = JSON.parse(line);
  } catch {
    report("is not valid JSON");
    return problems;
  }
  if (!isPlainObject(example)) {
    report("must be a JSON object");
    return problems;
  }
  for (const key of Object.keys(example)) {
    if (!ALLOWED_EXAMPLE_KEYS.has(key)) report(`has an unknown key "${key}"`);
  }
  const messages = example.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    report('must have a non-empty "messages" array');
    return problems;
  }

  const contents: { content: string }[] = [];
  let assistantMessages = 0;
  messages.forEach((message: unknown, index) => {
    const where = `message ${index + 1}`;
    if (!isPlainObject(message)) {
      report(`${where} must be an object`);
      return;
    }
    for (const key of Object.keys(message)) {
      if (!ALLOWED_MESSAGE_KEYS.has(key)) report(`${where} has an unknown key "${key}"`);
    }
    const role = message.role;
    if (typeof role !== "string" || !ALLOWED_ROLES.has(role)) {
      report(`${where} has an unsupported role ${JSON.stringify(role ?? null)} (use system, user or assistant)`);
    } else if (role === "assistant") {
      assistantMessages++;
    }
    const unstorable = typeof message.content === "string" ? unstorableTextProblem(message.content) : null;
    if (typeof message.content !== "string" || message.content.trim() === "") {
      report(`${where} must have non-empty string content`);
    } else if (unstorable) {
      report(`${where} content: ${unstorable}`);
    } else {
      contents.push({ content: message.content });
    }
    if ("weight" in message && (role !== "assistant" || (message.weight !== 0 && message.weight !== 1))) {
      report(`${where} may have a weight only on an assistant message, and only 0 or 1`);
    }
  });
  if (assistantMessages === 0) report("must have at least one assistant message");

  const tokens = estimateExampleTokens(contents);
  if (tokens > MAX_TOKENS_PER_EXAMPLE) {
    report(`is about ${tokens} tokens, over the limit of ${MAX_TOKENS_PER_EXAMPLE} per example`);
  }
  return problems;
}

/** Checks a whole training file: every line, and the minimum number of examples. */
export function validateTrainingJsonl(jsonl: string): TrainingJsonlProblem[] {
  // One trailing newline is customary for JSONL; any other empty line is a problem.
  const lines = jsonl.replace(/\r?\n$/, "").split(/\r?\n/);
  if (lines.length === 1 && lines[0] === "") {
    return [{ line: null, problem: `has no examples; at least ${MIN_TRAINING_EXAMPLES} are required` }];
  }
  const problems = lines.flatMap((line, index) => validateTrainingLine(line, index + 1));
  if (lines.length < MIN_TRAINING_EXAMPLES) {
    problems.push({
      line: null,
      problem: `has ${lines.length} examples; at least ${MIN_TRAINING_EXAMPLES} are required`,
    });
  }
  return problems;
}

/** Problems as one readable sentence, for errors and logs. */
export function describeProblems(problems: TrainingJsonlProblem[], limit = 5): string {
  const shown = problems.slice(0, limit).map(({ line, problem }) =>
    line === null ? `the file ${problem}` : `line ${line} ${problem}`
  );
  const more = problems.length > limit ? ` (and ${problems.length - limit} more)` : "";
  return shown.join("; ") + more;
}

/** Tokens one example adds to the training file (with the style guide as its system message), by the one estimate. */
export function estimateTrainingExampleTokens(styleGuide: string, example: TrainingExample): number {
  const turns = example.messages ?? [{ content: example.question }, { content: example.answer }];
  return estimateExampleTokens([{ content: styleGuide }, ...turns]);
}

/**
 * Builds the training file: one conversation per example, each with the style guide as its system
 * message (the same prompt the fallback uses, so fine-tuned and fallback chats start alike).
 * Throws `TrainingDataError` when the result breaks a provider rule, so nothing invalid is uploaded.
 */
export function buildTrainingJsonl(
  styleGuide: string,
  examples: readonly TrainingExample[],
): { jsonl: string; lines: number; estimatedTokens: number } {
  let estimatedTokens = 0;
  const lines = examples.map((example) => {
    const messages = [
      { role: "system", content: styleGuide },
      ...(example.messages ?? [
        { role: "user", content: example.question },
        { role: "assistant", content: example.answer },
      ]),
    ];
    estimatedTokens += estimateExampleTokens(messages);
    return JSON.stringify({ messages });
  });
  const jsonl = lines.join("\n") + "\n";
  const problems = validateTrainingJsonl(jsonl);
  if (problems.length > 0) {
    throw new TrainingDataError(`The training file is invalid: ${describeProblems(problems)}`);
  }
  return { jsonl, lines: lines.length, estimatedTokens };
}

/** USD per 1M training tokens, by base model family (OpenAI's published prices; an estimate only). */
export const TRAINING_PRICE_PER_MILLION_TOKENS: Readonly<Record<string, number>> = {
  "gpt-4.1": 25,
  "gpt-4.1-mini": 5,
  "gpt-4.1-nano": 1.5,
  "gpt-4o": 25,
  "gpt-4o-mini": 3,
};
const DEFAULT_PRICE_FAMILY = "gpt-4.1-mini";

/** An ESTIMATE of what training will cost; the provider's bill is the truth. */
export interface TrainingCostEstimate {
  estimatedUsd: number;
  /** Tokens in the file times epochs: what the provider bills. */
  estimatedTrainedTokens: number;
  usdPerMillionTokens: number;
  /** The price-table family the base model was priced as (the default when unknown). */
  pricedAs: string;
}

/**
 * Estimates training cost from the file's estimated tokens, the epochs and the base model, at the
 * training provider's `price` when it has one (see `TrainingProvider.trainingPrice`), else by this
 * table: snapshots (`gpt-4.1-mini-2025-04-14`) price as their family; an unknown model as gpt-4.1-mini.
 */
export function estimateTrainingCost(
  tokens: number,
  epochs: number,
  baseModel: string,
  price: { usdPerMillionTokens: number; pricedAs: string } | null = null,
): TrainingCostEstimate {
  const families = Object.keys(TRAINING_PRICE_PER_MILLION_TOKENS).sort((a, b) => b.length - a.length);
  // A fine-tuned model used as a base ("ft:gpt-4.1-mini-...:org::id") trains at its family's price.
  const model = baseModel.trim().toLowerCase().replace(/^ft:/, "").split(":")[0];
  const pricedAs = price?.pricedAs ??
    families.find((family) => model === family || model.startsWith(`${family}-`)) ?? DEFAULT_PRICE_FAMILY;
  const usdPerMillionTokens = price?.usdPerMillionTokens ?? TRAINING_PRICE_PER_MILLION_TOKENS[pricedAs];
  const estimatedTrainedTokens = Math.max(0, Math.ceil(tokens)) * Math.max(1, Math.ceil(epochs));
  // Four decimals: the precision of fine_tuned_models.estimated_cost_usd.
  const estimatedUsd = Math.round((estimatedTrainedTokens / 1_000_000) * usdPerMillionTokens * 10_000) / 10_000;
  return { estimatedUsd, estimatedTrainedTokens, usdPerMillionTokens, pricedAs };
}
