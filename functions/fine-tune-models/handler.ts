import { withUserTransaction } from "../../shared/db/client.ts";
import { keysetPage } from "../../shared/db/keyset.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { selectVisibleModels } from "../../shared/models/list-models.ts";
import { listModelsQuery } from "../../shared/models/schemas.ts";
import { modelListResponse } from "../../shared/models/responses.ts";

/** GET /fine-tune-models?type=&bookId=&limit=&cursor= — own and public models, newest first. */
export default defineEndpoint({
  name: "fine-tune-models",
  methods: ["GET"],
  auth: "user",
  query: listModelsQuery,
  summary: "List the caller's own and public models, newest first",
  responses: {
    200: { description: "A page of models", schema: modelListResponse },
  },
  async handle({ auth, query }) {
    const rows = await withUserTransaction(auth, (tx) =>
      selectVisibleModels(tx, auth, { ...query, take: query.limit + 1 })
    );
    const { items, nextCursor } = keysetPage(rows.map((row) => row.model), query.limit, (model) => ({
      createdAt: model.created_at,
      id: model.id,
    }));
    return {
      body: { models: items, nextCursor },
    };
  },
});
