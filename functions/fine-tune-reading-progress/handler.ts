import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { errorBody } from "../../shared/errors.ts";
import { setReadingProgress } from "../../shared/books/store.ts";
import { bookIdParams, bookIdPath, readingPositionSchema, readingProgressResponse } from "../../shared/books/schemas.ts";

/**
 * PUT /fine-tune-reading-progress/:bookId — `{ chapter, percent? }`: where the caller is in the
 * book. Chat with a persona of the book retrieves passages up to there only.
 */
export default defineEndpoint({
  name: "fine-tune-reading-progress",
  methods: ["PUT"],
  auth: "user",
  path: bookIdPath,
  params: bookIdParams,
  body: readingPositionSchema,
  summary: "Record where the caller is in a book",
  description: "Chat with the book's personas draws only on passages up to this place and is told not to " +
    "reveal later events. `percent` left out: the whole chapter is read.",
  responses: {
    200: { description: "The place as stored", schema: readingProgressResponse },
    404: { description: "No text of this book the caller may read", schema: errorBody },
  },
  async handle({ auth, params: { bookId }, body }) {
    return { body: await setReadingProgress(auth, bookId, body) };
  },
});
