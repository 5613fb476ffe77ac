import book from "../../functions/fine-tune-book/handler.ts";
import progress from "../../functions/fine-tune-reading-progress/handler.ts";
import type { TestUser } from "./stack.ts";

// The book endpoints in-process: the real handlers on the suite's own database.

async function answer(response: Response) {
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

const headersFor = (user: TestUser | null) => ({
  "Content-Type": "application/json",
  ...(user ? { Authorization: `Bearer ${user.token}` } : {}),
});

/** PUT /fine-tune-book/:bookId with `body` (a string is sent as is). */
export async function putBook(user: TestUser | null, bookId: string, body: unknown) {
  return await answer(await book(new Request(`http://localhost/functions/v1/fine-tune-book/${encodeURIComponent(bookId)}`, {
    method: "PUT",
    headers: headersFor(user),
    body: typeof body === "string" ? body : JSON.stringify(body),
  })));
}

/** GET /fine-tune-book/:bookId, with `?chapter=` when given. */
export async function getBook(user: TestUser | null, bookId: string, chapter?: number | string) {
  const query = chapter === undefined ? "" : `?chapter=${chapter}`;
  return await answer(await book(new Request(`http://localhost/functions/v1/fine-tune-book/${encodeURIComponent(bookId)}${query}`, {
    headers: headersFor(user),
  })));
}

/** PUT /fine-tune-reading-progress/:bookId. */
export async function putProgress(user: TestUser | null, bookId: string, body: unknown) {
  return await answer(await progress(new Request(`http://localhost/functions/v1/fine-tune-reading-progress/${encodeURIComponent(bookId)}`, {
    method: "PUT",
    headers: headersFor(user),
    body: JSON.stringify(body),
  })));
}

/** Base64 of bytes, as the app sends an EPUB. */
export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
