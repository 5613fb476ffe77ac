import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { HttpError, notFound } from "../errors.ts";
import type { CreateCastBody } from "../models/cast-schemas.ts";
import type { NewModel } from "../models/create-schemas.ts";
import type { ModelRow } from "../models/model-row.ts";
import { createModel } from "./create-model.ts";

/** What became of one member: a new model, the live twin that was already there, or a refusal. */
export type CastOutcome = "created" | "exists" | "refused";

/** Why a member was not created, as the single create would have answered. */
export interface CastRefusal {
  status: number;
  code: string;
  message: string;
  retryable?: true;
  resetAt?: string;
}

/** A member as GET /fine-tune-cast answers it, with its model as the caller sees it now. */
export interface CastMember {
  index: number;
  type: "author" | "character";
  name: string;
  outcome: CastOutcome;
  model: ModelRow | null;
  error: CastRefusal | null;
}

export interface CastBatch {
  id: string;
  bookId: string;
  bookInfo: Record<string, unknown>;
  quickTune: boolean;
  createdAt: string;
  members: CastMember[];
}

/** The request's members in order, the author first, each as the row a single create would write. */
function castMembers(body: CreateCastBody, baseModel: string): NewModel[] {
  const common = {
    bookId: body.bookId,
    bookInfo: body.bookInfo,
    isPublic: body.isPublic,
    quickTune: body.quickTune,
    baseModel,
  };
  const author: NewModel[] = body.author
    ? [{
      ...common,
      type: "author",
      name: body.author.name,
      entityName: body.author.name,
      entityId: null,
      description: body.author.description ?? null,
      examples: body.author.examples,
    }]
    : [];
  return [
    ...author,
    ...body.characters.map((character): NewModel => ({
      ...common,
      type: "character",
      name: character.name,
      entityName: character.name,
      entityId: character.entityId ?? null,
      description: character.description,
      examples: character.examples,
    })),
  ];
}

/**
 * Creates one member with the shared create, as the single create endpoints do (so its quotas, its
 * one-live-model rule and its training queue apply), and turns the answers a single create would
 * give as an error into the member's outcome: a 409 is the existing model, any other refusal
 * (a quota's 429, an unavailable provider) is reported with its status and code.
 */
async function createMember(auth: UserAuth, member: NewModel): Promise<{ outcome: CastOutcome; modelId: string | null; error: CastRefusal | null }> {
  try {
    const model = await createModel(auth, member);
    return { outcome: "created", modelId: model.id, error: null };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const existing = error.status === 409 ? error.options.extra?.model as ModelRow | null | undefined : undefined;
    if (existing) return { outcome: "exists", modelId: existing.id, error: null };
    const resetAt = error.options.extra?.resetAt;
    return {
      outcome: "refused",
      modelId: null,
      error: {
        status: error.status,
        code: error.code,
        message: error.message,
        ...(error.options.retryable ? { retryable: true as const } : {}),
        ...(typeof resetAt === "string" ? { resetAt } : {}),
      },
    };
  }
}

/**
 * POST /fine-tune-cast: the batch is written first, then each member in the request's order,
 * one after another (quotas count the ones before), and its outcome recorded as it is known.
 * The body was validated as a whole before this runs, so nothing is written for a bad request.
 */
export async function createCast(auth: UserAuth, body: CreateCastBody, baseModel: string): Promise<CastBatch> {
  const batchId = crypto.randomUUID();
  await withUserTransaction(auth, (tx) =>
    tx`insert into public.cast_batches (id, book_id, book_info, quick_tune)
       values (${batchId}, ${body.bookId}, ${tx.json(body.bookInfo)}, ${body.quickTune})`
  );
  const members = castMembers(body, baseModel);
  for (const [index, member] of members.entries()) {
    const { outcome, modelId, error } = await createMember(auth, member);
    await withUserTransaction(auth, (tx) =>
      tx`insert into public.cast_batch_members (batch_id, position, type, name, outcome, model_id, error)
         values (${batchId}, ${index}, ${member.type}, ${member.name}, ${outcome}, ${modelId},
                 ${error ? tx.json(error as never) : null})`
    );
  }
  return await readCast(auth, batchId);
}

/** A batch of the caller's with each member's model as it is now; another user's batch is a 404. */
export async function readCast(auth: UserAuth, batchId: string): Promise<CastBatch> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ batch: CastBatch }[]>`
      select pg_catalog.json_build_object(
        'id', b.id, 'bookId', b.book_id, 'bookInfo', b.book_info, 'quickTune', b.quick_tune,
        'createdAt', b.created_at,
        'members', coalesce((
          select pg_catalog.json_agg(pg_catalog.json_build_object(
                   'index', x.position, 'type', x.type, 'name', x.name, 'outcome', x.outcome,
                   'model', (select pg_catalog.row_to_json(m) from public.fine_tuned_models m where m.id = x.model_id),
                   'error', x.error) order by x.position)
          from public.cast_batch_members x where x.batch_id = b.id), '[]'::json)) as batch
      from public.cast_batches b
      where b.id = ${batchId}`
  );
  if (!row) throw notFound("No such cast batch.");
  return row.batch;
}
