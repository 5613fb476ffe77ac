import { withUserTransaction } from "../../shared/db/client.ts";
import { type Cursor, isPopularCursor, listingPage, type PopularCursor } from "../../shared/db/keyset.ts";
import { badRequest } from "../../shared/errors.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { selectPopularModels, selectVisibleModels } from "../../shared/models/list-models.ts";
import { listModelsQuery } from "../../shared/models/schemas.ts";
import { modelListResponse } from "../../shared/models/responses.ts";

/** GET /fine-tune-models?type=&bookId=&sort=&limit=&cursor= — own and public models, newest (or most popular) first. */
export default defineEndpoint({
  name: "fine-tune-models",
  methods: ["GET"],
  auth: "user",
  query: listModelsQuery,
  summary: "List the caller's own and public models, newest first (or most popular first with sort=popular)",
  responses: {
    200: { description: "A page of models", schema: modelListResponse },
  },
  async handle({ auth, query }) {
    const { sort, cursor, ...filter } = query;
    const popular = sort === "popular";
    if (cursor && isPopularCursor(cursor) !== popular) {
      throw badRequest("The cursor belongs to another sort order: pass the same sort as the page it came from.", [
        { path: ["cursor"], message: "cursor of another sort order" },
      ]);
    }
    const take = query.limit + 1;
    if (popular) {
      const rows = await withUserTransaction(auth, (tx) =>
        selectPopularModels(tx, auth, { ...filter, cursor: cursor as PopularCursor | undefined, take })
      );
      const { items, nextCursor } = listingPage(rows, query.limit, (row) => ({
        recentChats: row.recent_chat_count,
        chatCount: row.chat_count,
        id: row.model.id,
      }));
      return { body: { models: items.map((row) => row.model), nextCursor } };
    }
    const rows = await withUserTransaction(auth, (tx) =>
      selectVisibleModels(tx, auth, { ...filter, cursor: cursor as Cursor | undefined, take })
    );
    const { items, nextCursor } = listingPage(rows.map((row) => row.model), query.limit, (model) => ({
      createdAt: model.created_at,
      id: model.id,
    }));
    return {
      body: { models: items, nextCursor },
    };
  },
});
