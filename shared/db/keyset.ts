import { z } from "zod";

/**
 * Keyset pagination for newest-first listings (models, conversations): the query orders by
 * `(created_at, id) desc`, reads `limit + 1` rows after the cursor, and `keysetPage` turns them into
 * a page and the opaque cursor of the next one.
 */

/** Keyset position in a newest-first listing: the row's exact created_at and its id. */
export interface Cursor {
  createdAt: string;
  id: string;
}

const cursorShape = z.object({
  // As the row shows it: microsecond precision with an offset, e.g. 2026-12-01T19:58:55.038522+00:00.
  createdAt: z.iso.datetime({ offset: true }),
  id: z.string().uuid(),
});

function toBase64Url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  return atob(text.replaceAll("-", "+").replaceAll("_", "/"));
}

/** Opaque to clients: they pass back `nextCursor` as `cursor`. */
export function encodeCursor(cursor: Cursor): string {
  return toBase64Url(JSON.stringify(cursor));
}

/** zod schema for the `cursor` query parameter: decodes and validates in one step. */
export const cursorParam = z.string().max(200).transform((value, ctx) => {
  try {
    return cursorShape.parse(JSON.parse(fromBase64Url(value)));
  } catch {
    ctx.addIssue({ code: "custom", message: "Invalid cursor: pass back the nextCursor you were given." });
    return z.NEVER;
  }
});

/** `limit` query parameter shared by paginated listings. */
export const limitParam = z.coerce.number().int().min(1).max(100).default(20);

/**
 * A page from `limit + 1` rows read in listing order: the first `limit`, and the cursor after the
 * last of them when the extra row shows there is more (else null). `positionOf` gives a row's
 * keyset position (its exact created_at as text, and its id).
 */
export function keysetPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}

/** Keyset position in a most-popular-first listing: the row's recent chats, its chats, its id. */
export interface PopularCursor {
  recentChats: number;
  chatCount: number;
  id: string;
}

const popularCursorShape = z.object({
  recentChats: z.number().int().min(0),
  chatCount: z.number().int().min(0),
  id: z.string().uuid(),
});

/** A listing's cursor of either order: newest first (`Cursor`) or most popular first (`PopularCursor`). */
export const listingCursorParam = z.string().max(200).transform((value, ctx): Cursor | PopularCursor => {
  try {
    const decoded = JSON.parse(fromBase64Url(value)) as unknown;
    const popular = popularCursorShape.safeParse(decoded);
    return popular.success ? popular.data : cursorShape.parse(decoded);
  } catch {
    ctx.addIssue({ code: "custom", message: "Invalid cursor: pass back the nextCursor you were given." });
    return z.NEVER;
  }
});

/** True for the cursor of a most-popular-first listing. */
export function isPopularCursor(cursor: Cursor | PopularCursor): cursor is PopularCursor {
  return "recentChats" in cursor;
}

/** Like `keysetPage`, for listings in either order (`positionOf` gives the row's position in its order). */
export function listingPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => Cursor | PopularCursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? toBase64Url(JSON.stringify(positionOf(last))) : null };
}
