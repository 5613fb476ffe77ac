import { withUserTransaction } from "../../shared/db/client.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { encodeCursor } from "../../shared/models/cursor.ts";
import { modelColumns, type ModelRow, toModelJson } from "../../shared/models/model-json.ts";
import { listModelsQuery } from "../../shared/models/schemas.ts";

/** GET /fine-tune-models?type=&bookId=&limit=&cursor= — own and public models, newest first. */
export default defineEndpoint({
  name: "fine-tune-models",
  methods: ["GET"],
  auth: "user",
  query: listModelsQuery,
  async handle({ auth, query }) {
    const rows = await withUserTransaction(auth, (tx) =>
      tx<ModelRow[]>`
        select ${modelColumns(tx)}
        from public.fine_tuned_models m
        where true
          ${query.type ? tx`and m.type = ${query.type}` : tx``}
          ${query.bookId ? tx`and m.book_id = ${query.bookId}` : tx``}
          ${query.cursor
            ? tx`and (m.created_at, m.id) < (${query.cursor.createdAt}::timestamptz, ${query.cursor.id}::uuid)`
            : tx``}
        order by m.created_at desc, m.id desc
        limit ${query.limit + 1}
      `);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      body: {
        models: page.map(toModelJson),
        nextCursor: rows.length > query.limit && last
          ? encodeCursor({ createdAt: last.cursor_created_at, id: last.id })
          : null,
      },
    };
  },
});
