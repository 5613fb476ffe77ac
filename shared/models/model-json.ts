import type { Transaction } from "../db/client.ts";

/** A row of public.fine_tuned_models as postgres.js returns it. */
export interface ModelRow {
  id: string;
  name: string;
  type: "author" | "character";
  entity_id: string | null;
  entity_name: string;
  book_id: string;
  book_info: Record<string, unknown>;
  description: string | null;
  is_public: boolean;
  quick_tune: boolean;
  base_model: string | null;
  provider: string;
  status: ModelStatus;
  openai_job_id: string | null;
  openai_model_id: string | null;
  training_file_id: string | null;
  training_data_summary: Record<string, unknown> | null;
  style_description: string | null;
  training_tokens: number | null;
  estimated_cost_usd: string | null;
  error: string | null;
  chat_count: number;
  last_used_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  training_started_at: Date | null;
  training_completed_at: Date | null;
  fine_tuned_model_retired_at: Date | null;
  starter_prompts: string[];
  /** The provider's job as last seen by the training sync or webhook (shared/sync/job-progress.ts). */
  training_progress: Record<string, unknown> | null;
  /** Keyset position, exact to the microsecond (a JS Date is not). */
  cursor_created_at: string;
}

export type ModelStatus = "pending" | "training" | "completed" | "failed" | "ready";

/** The select list every model read uses, so the JSON mapping always has its columns. */
export function modelColumns(tx: Transaction) {
  return tx`
    m.id, m.name, m.type, m.entity_id, m.entity_name, m.book_id, m.book_info, m.description,
    m.is_public, m.quick_tune, m.base_model, m.provider, m.status, m.openai_job_id,
    m.openai_model_id, m.training_file_id, m.training_data_summary, m.style_description,
    m.training_tokens, m.estimated_cost_usd::text as estimated_cost_usd, m.error, m.chat_count,
    m.last_used_at, m.created_by, m.created_at, m.updated_at, m.training_started_at,
    m.training_completed_at, m.fine_tuned_model_retired_at, m.starter_prompts, m.training_progress,
    to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_created_at
  `;
}

/** True when chat should call the model's own fine-tune rather than the persona fallback. */
export function usesFineTunedModel(
  row: Pick<ModelRow, "status" | "openai_model_id" | "fine_tuned_model_retired_at">,
): row is typeof row & { openai_model_id: string } {
  return row.status === "completed" && row.openai_model_id !== null && row.fine_tuned_model_retired_at === null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The model as clients see it: camelCase, no internal bookkeeping. */
export function toModelJson(row: ModelRow) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    entityId: row.entity_id,
    entityName: row.entity_name,
    bookId: row.book_id,
    bookInfo: row.book_info,
    description: row.description,
    isPublic: row.is_public,
    quickTune: row.quick_tune,
    baseModel: row.base_model,
    provider: row.provider,
    status: row.status,
    // Which model answers chat: only a completed, unretired fine-tune runs as itself; everything
    // else is the persona fallback.
    mode: usesFineTunedModel(row) ? "fine-tuned" : "persona",
    openaiJobId: row.openai_job_id,
    openaiModelId: row.openai_model_id,
    trainingDataSummary: row.training_data_summary,
    styleDescription: row.style_description,
    trainingTokens: row.training_tokens,
    estimatedCostUsd: row.estimated_cost_usd === null ? null : Number(row.estimated_cost_usd),
    error: row.error,
    chatCount: row.chat_count,
    lastUsedAt: iso(row.last_used_at),
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    trainingStartedAt: iso(row.training_started_at),
    trainingCompletedAt: iso(row.training_completed_at),
    fineTunedModelRetiredAt: iso(row.fine_tuned_model_retired_at),
    starterPrompts: row.starter_prompts,
    trainingProgress: row.training_progress,
  };
}

export type ModelJson = ReturnType<typeof toModelJson>;
