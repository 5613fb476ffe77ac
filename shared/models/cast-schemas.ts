import { z } from "zod";
import { PERSONA_LIMITS } from "../personas/types.ts";
import { commonOptions } from "./create-schemas.ts";
import { modelSchema } from "./model-schema.ts";
import { storableText } from "./text.ts";

/** Most personas one cast may create, the author included. */
export const MAX_CAST_MEMBERS = 20;
/** Largest body of a cast: twenty members, each of which may carry its own examples. */
export const MAX_CAST_BODY_BYTES = 1024 * 1024;

const entityId = z.string().trim().uuid({ message: "entityId must be a UUID" });

/** The book's author as one member of the cast. */
const castAuthor = z.object({
  name: storableText(PERSONA_LIMITS.name),
  description: storableText(PERSONA_LIMITS.description).optional(),
  examples: commonOptions.examples,
}).strict().meta({ id: "CastAuthor" });

/** One of the book's characters as a member of the cast. */
const castCharacter = z.object({
  name: storableText(PERSONA_LIMITS.name),
  description: storableText(PERSONA_LIMITS.description),
  entityId: entityId.optional(),
  examples: commonOptions.examples,
}).strict().meta({ id: "CastCharacter" });

/** POST /fine-tune-cast: everything is checked before any member is created. */
export const createCastBody = z.object({
  bookId: storableText(200),
  bookInfo: z.object({
    title: storableText(PERSONA_LIMITS.bookTitle),
    author: storableText(PERSONA_LIMITS.name),
    description: storableText(PERSONA_LIMITS.description).optional(),
    genre: storableText(PERSONA_LIMITS.genre).optional(),
  }).strict(),
  author: castAuthor.optional().describe("The book's author, created as an author model"),
  characters: z.array(castCharacter).min(1).max(MAX_CAST_MEMBERS),
  quickTune: z.boolean().default(false).describe("Train every member as a quick model (fewer examples and epochs)"),
  isPublic: commonOptions.isPublic,
  baseModel: commonOptions.baseModel,
}).strict().superRefine((body, context) => {
  const members = body.characters.length + (body.author ? 1 : 0);
  if (members > MAX_CAST_MEMBERS) {
    context.addIssue({
      code: "custom",
      path: ["characters"],
      message: `A cast has at most ${MAX_CAST_MEMBERS} members, the author included`,
    });
  }
  // Two entries for one character would only collide with each other: say so before anything is written.
  const seen = new Map<string, number>();
  body.characters.forEach((character, index) => {
    const key = (character.entityId ?? character.name).toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else {
      context.addIssue({
        code: "custom",
        path: ["characters", index, character.entityId ? "entityId" : "name"],
        message: `The same character as characters[${first}]`,
      });
    }
  });
});

export type CreateCastBody = z.infer<typeof createCastBody>;

/** Why a member was not created, as the single create would have answered. */
const castRefusal = z.object({
  status: z.number().int().describe("The HTTP status the single create would have answered (e.g. 429)"),
  code: z.string(),
  message: z.string(),
  retryable: z.literal(true).optional(),
  resetAt: z.string().optional().describe("For a quota: when it resets"),
}).meta({ id: "CastRefusal" });

/** One persona of a cast and what became of it. */
export const castMemberSchema = z.object({
  index: z.number().int().describe("Its place in the request: 0 is the author when there is one"),
  type: z.enum(["author", "character"]),
  name: z.string(),
  outcome: z.enum(["created", "exists", "refused"]).describe(
    "`created`: a new model; `exists`: a live model for this persona was already there (the 409 of a " +
      "single create), it is `model`; `refused`: not created, `error` says why (a quota: status 429)",
  ),
  model: modelSchema.nullable().describe("The member's model as it is now (null when refused or deleted)"),
  error: castRefusal.nullable(),
}).meta({ id: "CastMember" });

/** A cast batch and its members. */
export const castBatchSchema = z.object({
  id: z.uuid(),
  bookId: z.string(),
  bookInfo: z.record(z.string(), z.unknown()),
  quickTune: z.boolean(),
  createdAt: z.string(),
  members: z.array(castMemberSchema),
}).meta({ id: "CastBatch" });

/** 202 of POST /fine-tune-cast. */
export const castCreatedResponse = z.object({
  success: z.literal(true),
  batchId: z.uuid(),
  batch: castBatchSchema,
  estimatedTime: z.string().describe("How long training should take per member, for people"),
}).meta({ id: "CastCreated" });

/** 200 of GET /fine-tune-cast/:batchId. */
export const castBatchResponse = z.object({
  success: z.literal(true),
  batch: castBatchSchema,
}).meta({ id: "CastBatchStatus" });

export const batchIdPath = ["batchId"] as const;
export const batchIdParams = z.object({
  batchId: z.string({ message: "The path must end with /<batchId>" }).uuid({ message: "batchId must be a UUID" }),
});
