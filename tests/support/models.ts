import { adminSql } from "./stack.ts";

/** Run columns a test may arrange on a model's current training run. */
export interface RunFields {
  next_check_at?: string;
  lease_expires_at?: string | null;
  attempts?: number;
  started_at?: string | null;
}

/**
 * Inserts a model row directly into the table behind the public view (arrangement only),
 * returning its id. The model's first training run is created by the database with the model's
 * lifecycle values; the run fields among `fields` arrange the sync's bookkeeping on it.
 */
export async function insertModel(ownerId: string, fields: Partial<{
  name: string;
  type: "author" | "character";
  entity_name: string;
  entity_id: string | null;
  book_id: string;
  is_public: boolean;
  status: string;
  style_description: string;
  openai_model_id: string | null;
  openai_job_id: string | null;
  error: string | null;
  created_at: string;
}> & RunFields = {}): Promise<string> {
  const { next_check_at, lease_expires_at, attempts, started_at, ...modelFields } = fields;
  const run = Object.fromEntries(
    Object.entries({ next_check_at, lease_expires_at, attempts, started_at }).filter(([, value]) => value !== undefined),
  );
  const row = {
    name: fields.name ?? "Test persona",
    type: fields.type ?? "author",
    entity_name: fields.entity_name ?? `Entity ${crypto.randomUUID()}`,
    book_id: fields.book_id ?? "book-1",
    is_public: fields.is_public ?? false,
    status: fields.status ?? "ready",
    style_description: fields.style_description ?? "You are a test persona. Stay in character.",
    created_by: ownerId,
    ...modelFields,
  };
  const [inserted] = await adminSql()<{ id: string }[]>`
    insert into private.fine_tuned_models ${adminSql()(row)} returning id`;
  if (Object.keys(run).length > 0) await arrangeRun(inserted.id, run);
  return inserted.id;
}

/** Sets bookkeeping columns on the model's current training run. */
export async function arrangeRun(modelId: string, run: RunFields): Promise<void> {
  await adminSql()`
    update public.training_runs set ${adminSql()(run as Record<string, unknown>)}
    where id = (select id from public.training_runs where model_id = ${modelId} order by created_at desc limit 1)`;
}

/** The model's current training run as stored. */
export async function currentRun(modelId: string) {
  const [run] = await adminSql()<{
    id: string;
    status: string;
    provider: string;
    base_model: string | null;
    provider_job_id: string | null;
    provider_file_id: string | null;
    fine_tuned_model: string | null;
    summary: Record<string, unknown> | null;
    progress: Record<string, unknown> | null;
    trained_tokens: number | null;
    estimated_cost_usd: string | null;
    error: string | null;
    attempts: number;
    next_check_at: Date;
    lease_expires_at: Date | null;
    started_at: Date | null;
    completed_at: Date | null;
  }[]>`
    select * from public.training_runs where model_id = ${modelId} order by created_at desc limit 1`;
  return run;
}
