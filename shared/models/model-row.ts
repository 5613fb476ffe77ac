import type { Database } from "../db/database.types.ts";
import type { Transaction } from "../db/client.ts";

export type ModelStatus = "pending" | "training" | "completed" | "failed" | "ready";

type ViewRow = Database["public"]["Views"]["fine_tuned_models"]["Row"];

/**
 * A model as clients see it: the row of the `public.fine_tuned_models` view exactly as the Data API
 * shows it to the caller (seed column names; the owner's provider ids, errors and costs blank on
 * other users' models). Typed by the generated database types; only the columns whose values a
 * check constraint or a generated expression narrows are narrowed here.
 */
export type ModelRow = Omit<ViewRow, "type" | "status" | "chat_mode" | "book_info" | "starter_prompts" | "chat_count"> & {
  type: "author" | "character";
  status: ModelStatus;
  /** Which model answers chat: the live fine-tune (kept while a retrain trains) unless retired. */
  chat_mode: "fine-tuned" | "persona";
  book_info: Record<string, unknown>;
  starter_prompts: string[];
  /** The stored count plus the tallies not yet folded: an expression, never null. */
  chat_count: number;
};

/**
 * The select expression that turns a row of the view (aliased `m`) into the JSON the Data API
 * would answer: same keys, same order, same renderings (ISO timestamps with offset, numbers).
 */
export function modelRowJson(tx: Transaction) {
  return tx`pg_catalog.row_to_json(m)`;
}
