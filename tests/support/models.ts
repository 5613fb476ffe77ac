import { adminSql } from "./stack.ts";

/** Inserts a model row directly (arrangement only), returning its id. */
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
  created_at: string;
  next_check_at: string;
  lease_expires_at: string | null;
}> = {}): Promise<string> {
  const row = {
    name: fields.name ?? "Test persona",
    type: fields.type ?? "author",
    entity_name: fields.entity_name ?? `Entity ${crypto.randomUUID()}`,
    book_id: fields.book_id ?? "book-1",
    is_public: fields.is_public ?? false,
    status: fields.status ?? "ready",
    style_description: fields.style_description ?? "You are a test persona. Stay in character.",
    created_by: ownerId,
    ...fields,
  };
  const [inserted] = await adminSql()<{ id: string }[]>`
    insert into public.fine_tuned_models ${adminSql()(row)} returning id`;
  return inserted.id;
}
