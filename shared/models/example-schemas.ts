import { z } from "zod";
import { storableText } from "./text.ts";

/** Longest turn an owner may write: a long answer, well inside a training example's token limit. */
export const MAX_TURN_CHARACTERS = 8_000;
/** Most turns in one example. */
export const MAX_TURNS = 40;
/** Largest body of POST /fine-tune-examples (a JSONL import). */
export const MAX_EXAMPLES_BODY_BYTES = 1024 * 1024;

const turn = z.object({
  role: z.enum(["user", "assistant"]),
  content: storableText(MAX_TURN_CHARACTERS),
}).strict().meta({ id: "ExampleTurn" });

/** A conversation without the system prompt: a user turn and an assistant answer at least. */
export const exampleMessages = z.array(turn).min(2).max(MAX_TURNS).refine(
  (turns) => turns.some((t) => t.role === "user") && turns.some((t) => t.role === "assistant"),
  { message: "An example needs at least one user turn and one assistant turn" },
);

const topic = storableText(200).nullable();

/** POST /fine-tune-examples/:modelId: one example, OpenAI chat JSONL to import, or the up-rated chats. */
export const addExamplesBody = z.object({
  topic: topic.optional(),
  messages: exampleMessages.optional(),
  jsonl: z.string().max(MAX_EXAMPLES_BODY_BYTES).optional().describe(
    "OpenAI chat fine-tuning JSONL; every line must be valid or nothing is imported",
  ),
  fromRatedChats: z.literal(true).optional().describe(
    "Adds each up-rated exchange of the owner's own chats with the model that is not an example yet (source `chat`)",
  ),
}).strict().refine(
  (body) => [body.messages, body.jsonl, body.fromRatedChats].filter((part) => part !== undefined).length === 1,
  { message: "Send one of messages (one example), jsonl (an import) or fromRatedChats", path: ["messages"] },
).refine((body) => body.messages !== undefined || body.topic === undefined, {
  message: "topic applies to one example, not to an import",
  path: ["topic"],
});

/** PATCH /fine-tune-examples/:modelId/:exampleId */
export const editExampleBody = z.object({
  topic: topic.optional(),
  messages: exampleMessages.optional(),
}).strict().refine((body) => body.topic !== undefined || body.messages !== undefined, {
  message: "Send topic or messages to change",
});

export const exampleParams = z.object({
  modelId: z.string({ message: "The path must be /<modelId>/<exampleId>" }).uuid({ message: "modelId must be a UUID" }),
  exampleId: z.string({ message: "The path must be /<modelId>/<exampleId>" }).uuid({ message: "exampleId must be a UUID" }),
});

/** A stored example as the Data API shows its row. */
export const exampleSchema = z.object({
  id: z.string(),
  model_id: z.string(),
  source: z.enum(["generated", "user", "chat"]).describe("Who wrote it: the teacher, the owner, or a rated chat"),
  topic: z.string().nullable(),
  position: z.number().int().describe("Its place in the training file"),
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.string() })),
  chat_id: z.string().nullable().describe("The exchange a `chat` example was taken from"),
  created_at: z.string(),
}).meta({ id: "TrainingExample" });

export const exampleListResponse = z.object({
  success: z.literal(true),
  examples: z.array(exampleSchema),
}).meta({ id: "TrainingExampleList" });

export const examplesAddedResponse = z.object({
  success: z.literal(true),
  examples: z.array(exampleSchema).describe("What was added, in order"),
}).meta({ id: "TrainingExamplesAdded" });

export const exampleResponse = z.object({
  success: z.literal(true),
  example: exampleSchema,
}).meta({ id: "TrainingExampleEdited" });

export const exampleDeletedResponse = z.object({
  success: z.literal(true),
  message: z.string(),
}).meta({ id: "TrainingExampleDeleted" });
