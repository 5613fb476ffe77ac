import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import {
  addExamples,
  addExamplesFromRatedChats,
  deleteExample,
  editExample,
  importExamples,
  listExamples,
} from "../../shared/lifecycle/owner-examples.ts";
import {
  addExamplesBody,
  editExampleBody,
  exampleDeletedResponse,
  exampleListResponse,
  exampleParams,
  exampleResponse,
  examplesAddedResponse,
  MAX_EXAMPLES_BODY_BYTES,
} from "../../shared/models/example-schemas.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

const name = "fine-tune-examples";
const examplePath = ["modelId", "exampleId"] as const;
const notYours = { description: "No such model or example, or not the caller's", schema: errorBody };

/**
 * A model's training examples, the owner's to shape: GET lists them, POST adds one or imports
 * OpenAI chat JSONL, PATCH and DELETE on /:modelId/:exampleId edit and remove. The next retrain
 * trains on what is stored.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    summary: "List an own model's training examples",
    description: "In training-file order, each with its source: generated, user or chat.",
    responses: { 200: { description: "The examples", schema: exampleListResponse }, 404: notYours },
    async handle({ auth, params: { modelId } }) {
      return { body: { examples: await listExamples(auth, modelId) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    body: addExamplesBody,
    maxBodyBytes: MAX_EXAMPLES_BODY_BYTES,
    summary: "Add a training example, import OpenAI chat JSONL, or take the up-rated chats",
    description: "`{ topic?, messages }` adds one example; `{ jsonl }` imports every line as an example " +
      "(system messages dropped: the style guide is the system prompt), or none when any line breaks the " +
      "provider's rules (422, one issue per bad line: path `[\"jsonl\", line]`); `{ fromRatedChats: true }` adds " +
      "each up-rated exchange of the owner's own chats with the model (source `chat`) and, for a public model, " +
      "those of readers who consented (PUT /fine-tune-chat-sharing), anonymised, each exchange once: a " +
      "second call adds nothing new (201 with an empty list).",
    responses: {
      201: { description: "Added, after the model's last example", schema: examplesAddedResponse },
      404: notYours,
    },
    async handle({ auth, params: { modelId }, body }) {
      const examples = body.fromRatedChats
        ? await addExamplesFromRatedChats(auth, modelId)
        : body.jsonl !== undefined
        ? await importExamples(auth, modelId, body.jsonl)
        : await addExamples(auth, modelId, [{ source: "user", topic: body.topic ?? null, messages: body.messages! }]);
      return { status: 201, body: { examples } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PATCH"],
    auth: "user",
    path: examplePath,
    params: exampleParams,
    body: editExampleBody,
    summary: "Edit a training example",
    responses: { 200: { description: "The edited example", schema: exampleResponse }, 404: notYours },
    async handle({ auth, params: { modelId, exampleId }, body }) {
      return { body: { example: await editExample(auth, modelId, exampleId, body) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["DELETE"],
    auth: "user",
    path: examplePath,
    params: exampleParams,
    summary: "Delete a training example",
    responses: { 200: { description: "Deleted", schema: exampleDeletedResponse }, 404: notYours },
    async handle({ auth, params: { modelId, exampleId } }) {
      await deleteExample(auth, modelId, exampleId);
      return { body: { message: "Example deleted." } };
    },
  }),
);
