import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import { deleteMemory, editMemory, listMemories, memoryLimits, pinMemory } from "../../shared/chat/memories.ts";
import {
  editMemoryBody,
  memoryDeletedResponse,
  memoryListResponse,
  memoryParams,
  memoryResponse,
  pinMemoryBody,
} from "../../shared/chat/memory-schemas.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

const name = "fine-tune-memories";
const memoryPath = ["modelId", "memoryId"] as const;
const notYours = { description: "No such model, memory or exchange, or not the caller's", schema: errorBody };
const tooLong = { description: "Over MEMORY_MAX_CHARS (issue on `text`)", schema: errorBody };

/**
 * The caller's pinned memories of one persona: GET lists them, POST pins one (typed, or a reply of
 * theirs), PATCH and DELETE on /:modelId/:memoryId edit and remove. Each chat turn with the persona
 * gets the most recently written that fit MEMORY_PROMPT_TOKEN_BUDGET and names them in `memoriesUsed`.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    summary: "List your memories of a persona",
    description: "Most recently written first, with the limits in force.",
    responses: { 200: { description: "The memories", schema: memoryListResponse }, 404: notYours },
    async handle({ auth, params: { modelId } }) {
      return { body: { memories: await listMemories(auth, modelId), limits: memoryLimits() } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    body: pinMemoryBody,
    summary: "Pin a memory for a persona, typed or from one of your replies",
    description: "`{ text }` pins typed text; `{ chatId }` pins that exchange's reply (cut to MEMORY_MAX_CHARS at a " +
      "word, with …); both pins the text and remembers the reply it came from.",
    responses: {
      201: { description: "Pinned", schema: memoryResponse },
      404: notYours,
      409: { description: "MEMORIES_PER_PERSONA reached (`memory_limit_reached`, with `limit`)", schema: errorBody },
      422: tooLong,
    },
    async handle({ auth, params: { modelId }, body }) {
      return { status: 201, body: { memory: await pinMemory(auth, modelId, body) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PATCH"],
    auth: "user",
    path: memoryPath,
    params: memoryParams,
    body: editMemoryBody,
    summary: "Edit one of your memories",
    responses: { 200: { description: "The edited memory", schema: memoryResponse }, 404: notYours, 422: tooLong },
    async handle({ auth, params: { modelId, memoryId }, body }) {
      return { body: { memory: await editMemory(auth, modelId, memoryId, body.text) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["DELETE"],
    auth: "user",
    path: memoryPath,
    params: memoryParams,
    summary: "Delete one of your memories",
    responses: { 200: { description: "Deleted", schema: memoryDeletedResponse }, 404: notYours },
    async handle({ auth, params: { modelId, memoryId } }) {
      await deleteMemory(auth, modelId, memoryId);
      return { body: { message: "Memory deleted." } };
    },
  }),
);
