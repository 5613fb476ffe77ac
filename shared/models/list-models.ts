import type { Transaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import type { Cursor, PopularCursor } from "../db/keyset.ts";
import { type ModelRow, modelRowJson } from "./model-row.ts";

export interface ListModelsFilter {
  type?: "author" | "character";
  bookId?: string;
  /** "me": only the caller's own (the public branch is left out). */
  owner?: "anyone" | "me";
  cursor?: Cursor;
  /** Rows to fetch (the page size plus one, to know whether there is a next page). */
  take: number;
}

/**
 * Own and public models, newest first. RLS admits exactly these rows; the query is still written as
 * two ordered branches (own; others' public) merged under one limit, because a single
 * `is_public or created_by = me` scan has to sort every public model, while each branch reads only
 * the first rows of its own index (owner's and public models by creation time).
 */
export function selectVisibleModels(tx: Transaction, auth: UserAuth, filter: ListModelsFilter) {
  const conditions = tx`
    ${filter.type ? tx`and m.type = ${filter.type}` : tx``}
    ${filter.bookId ? tx`and m.book_id = ${filter.bookId}` : tx``}
    ${filter.cursor
      ? tx`and (m.created_at, m.id) < (${filter.cursor.createdAt}::timestamptz, ${filter.cursor.id}::uuid)`
      : tx``}`;
  return tx<{ model: ModelRow }[]>`
    select visible.model from (
      (select ${modelRowJson(tx)} as model, m.created_at, m.id from public.fine_tuned_models m
       where m.created_by = ${auth.userId} ${conditions}
       order by m.created_at desc, m.id desc limit ${filter.take})
      union all
      (select ${modelRowJson(tx)} as model, m.created_at, m.id from public.fine_tuned_models m
       where m.is_public and m.created_by <> ${auth.userId} ${filter.owner === "me" ? tx`and false` : tx``} ${conditions}
       order by m.created_at desc, m.id desc limit ${filter.take})
    ) visible
    order by visible.created_at desc, visible.id desc
    limit ${filter.take}`;
}

export interface ListPopularModelsFilter {
  type?: "author" | "character";
  bookId?: string;
  owner?: "anyone" | "me";
  cursor?: PopularCursor;
  take: number;
}

/**
 * Own and public models, most popular first: most chats in the last 30 days (`recent_chat_count`,
 * refreshed hourly), then most chats ever, then id. The same two branches as `selectVisibleModels`,
 * each reading its own popularity index of the table in order and joining the view (the row as the
 * caller may see it) by id; both are read under the caller's RLS. Each row carries its position:
 * the table's ranking columns, which a cursor must repeat. Its `chat_count` may trail the shown
 * `model.chat_count` by the chats not yet folded into the table (see private.add_model_chats).
 */
export function selectPopularModels(tx: Transaction, auth: UserAuth, filter: ListPopularModelsFilter) {
  const conditions = tx`
    ${filter.type ? tx`and p.type = ${filter.type}` : tx``}
    ${filter.bookId ? tx`and p.book_id = ${filter.bookId}` : tx``}
    ${filter.cursor
      ? tx`and (p.recent_chat_count, p.chat_count, p.id) < (${filter.cursor.recentChats}::integer, ${filter.cursor.chatCount}::integer, ${filter.cursor.id}::uuid)`
      : tx``}`;
  const order = tx`order by p.recent_chat_count desc, p.chat_count desc, p.id desc limit ${filter.take}`;
  return tx<{ model: ModelRow; recent_chat_count: number; chat_count: number }[]>`
    select visible.model, visible.recent_chat_count, visible.chat_count from (
      (select ${modelRowJson(tx)} as model, p.recent_chat_count, p.chat_count, p.id
       from private.fine_tuned_models p join public.fine_tuned_models m on m.id = p.id
       where p.created_by = ${auth.userId} ${conditions}
       ${order})
      union all
      (select ${modelRowJson(tx)} as model, p.recent_chat_count, p.chat_count, p.id
       from private.fine_tuned_models p join public.fine_tuned_models m on m.id = p.id
       where p.is_public and p.created_by <> ${auth.userId} ${filter.owner === "me" ? tx`and false` : tx``} ${conditions}
       ${order})
    ) visible
    order by visible.recent_chat_count desc, visible.chat_count desc, visible.id desc
    limit ${filter.take}`;
}
