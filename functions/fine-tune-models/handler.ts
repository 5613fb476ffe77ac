import { withUserTransaction } from "../../shared/db/client.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { encodeCursor } from "../../shared/models/cursor.ts";
import { selectVisibleModels } from "../../shared/models/list-models.ts";
import { listModelsQuery } from "../../shared/models/schemas.ts";

/** GET /fine-tune-models?type=&bookId=&limit=&cursor= — own and public models, newest first. */
export default defineEndpoint({
  name: "fine-tune-models",
  methods: ["GET"],
  auth: "user",
  query: listModelsQuery,
  async handle({ auth, query }) {
    const rows = await withUserTransaction(auth, (tx) =>
      selectVisibleModels(tx, auth, { ...query, take: query.limit + 1 })
    );
    const page = rows.slice(0, query.limit).map((row) => row.model);
    const last = page.at(-1);
    return {
      body: {
        models: page,
        nextCursor: rows.length > query.limit && last
          ? encodeCursor({ createdAt: last.created_at, id: last.id })
          : null,
      },
    };
  },
});
