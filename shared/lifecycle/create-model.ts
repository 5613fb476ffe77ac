import { type Transaction, withUserTransaction } from "../db/client.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { canFineTune, trainingProvider } from "../providers/registry.ts";
import type { UserAuth } from "../auth/identity.ts";
import { conflict } from "../errors.ts";
import type { NewModel } from "../models/create-schemas.ts";
import { type ModelRow, modelRowJson } from "../models/model-row.ts";
import { runInBackground } from "./background.ts";
import { prepareTraining } from "./prepare-training.ts";
import { reserveTrainings } from "./quotas.ts";

/** Postgres's `text` type, for an array parameter postgres.js cannot type from an empty list. */
const TEXT_OID = 25;
const ONE_LIVE_MODEL_INDEX = "fine_tuned_models_one_live_per_entity_idx";

/** The base model a new model trains on when the request names none: the configured provider's default. */
export function defaultBaseModel(): string {
  return trainingProvider().baseModels().default;
}

/** Rough wall-clock times clients can show; the provider's queue decides the real one. */
export function estimatedTimeFor(quickTune: boolean): string {
  if (!canFineTune()) return "under a minute (persona mode)";
  return quickTune ? "10-20 minutes" : "20-40 minutes";
}

/**
 * Writes the `pending` row for the user (on the service path: clients may not insert models, so
 * the quota reservation below is the only way in) and starts the training work in the
 * background. The user's daily model quota and trainings in flight are reserved in the same
 * transaction (429 past either, and nothing written). A second live model for the same owner,
 * kind, book and entity is refused by a unique index, also when both requests arrive at once, and
 * answered 409 with the existing model.
 */
export async function createModel(auth: UserAuth, input: NewModel): Promise<ModelRow> {
  const [row] = await createModels(auth, [input]);
  return row;
}

/**
 * Creates several models at once, all or none: a twin of any one is a 409 that writes nothing,
 * answered before any quota is looked at (asking again for a persona one has is no quota's
 * business); then the quotas are reserved for all of them in one step (429 when they do not all fit).
 */
export async function createModels(auth: UserAuth, inputs: readonly NewModel[]): Promise<ModelRow[]> {
  let rows: ModelRow[];
  let colliding: NewModel | undefined;
  try {
    rows = await withUserTransaction(auth, async (tx) => {
      for (const input of inputs) {
        const twin = await findLiveTwin(tx, auth, input);
        if (twin) throw conflict("A model for this entity and book already exists.", { model: twin });
      }
      await reserveTrainings(tx, auth.userId, { models: inputs.length, trainings: inputs.length }, { asUser: true });
      const written: ModelRow[] = [];
      for (const input of inputs) {
        colliding = input;
        written.push(await insertModel(tx, auth, input));
      }
      return written;
    });
  } catch (error) {
    if (!isUniqueViolation(error, ONE_LIVE_MODEL_INDEX) || !colliding) throw error;
    // Two creates at once both passed the look-up: the index caught the second.
    const existing = await withUserTransaction(auth, (tx) => findLiveTwin(tx, auth, colliding!));
    throw conflict("A model for this entity and book already exists.", {
      model: existing ?? null,
    });
  }
  for (const row of rows) runInBackground("prepare-training", () => prepareTraining(row.id));
  return rows;
}

/**
 * One model's row, its own examples and greeting. The row is the service's to insert (clients hold
 * no insert privilege: the quotas just reserved must not be bypassed), for the verified user; the
 * rest is written as the user, under RLS.
 */
async function insertModel(tx: Transaction, auth: UserAuth, input: NewModel): Promise<ModelRow> {
  await tx`select set_config('role', 'service_role', true)`;
  const [inserted] = await tx<{ model: ModelRow }[]>`
    insert into public.fine_tuned_models as m
      (created_by, name, type, entity_id, entity_name, book_id, book_info, description, is_public, quick_tune, base_model)
    values (${auth.userId}, ${input.name}, ${input.type}, ${input.entityId}, ${input.entityName}, ${input.bookId},
            ${tx.json(input.bookInfo)}, ${input.description}, ${input.isPublic}, ${input.quickTune},
            ${input.baseModel})
    returning ${modelRowJson(tx)} as model`;
  await tx`select set_config('role', 'authenticated', true)`;
  if (input.examples?.length) {
    // As the user: RLS lets an owner add only `user` (or `chat`) examples to their own model.
    const rows = input.examples.map((example, position) => ({ position, topic: example.topic ?? null, messages: example.messages }));
    await tx`
      insert into public.training_examples (model_id, source, topic, position, messages)
      select ${inserted.model.id}, 'user', e.topic, e.position, e.messages
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as e (position integer, topic text, messages jsonb)`;
  }
  if (input.greeting || input.voice || input.alternateGreetings?.length) {
    // The owner's own greeting (the style guide's work keeps it: it writes one only where none
    // is), voice and alternate greetings: columns the owner may update, not insert.
    const [described] = await tx<{ model: ModelRow }[]>`
      update public.fine_tuned_models m
      set greeting = coalesce(${input.greeting ?? null}, m.greeting),
          voice = coalesce(${input.voice ?? null}, m.voice),
          alternate_greetings = ${tx.array([...(input.alternateGreetings ?? [])], TEXT_OID)}::text[]
      where m.id = ${inserted.model.id}
      returning ${modelRowJson(tx)} as model`;
    return described.model;
  }
  return inserted.model;
}

/** The caller's live model for the same persona, the one the unique index would collide with. */
async function findLiveTwin(tx: Transaction, auth: UserAuth, input: NewModel): Promise<ModelRow | undefined> {
  const [row] = await tx<{ model: ModelRow }[]>`
      select ${modelRowJson(tx)} as model
      from public.fine_tuned_models m
      where m.created_by = ${auth.userId}
        and m.type = ${input.type}
        and m.book_id = ${input.bookId}
        and lower(coalesce(m.entity_id::text, m.entity_name)) = lower(coalesce(${input.entityId}::text, ${input.entityName}::text))
        and m.status <> 'failed'`;
  return row?.model;
}
