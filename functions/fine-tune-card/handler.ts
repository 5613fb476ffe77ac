import { defineEndpoint } from "../../shared/http/endpoint.ts";
import type { UserAuth } from "../../shared/auth/identity.ts";
import { errorBody, notFound } from "../../shared/errors.ts";
import { loadCardPicture, loadCardSource } from "../../shared/lifecycle/model-card.ts";
import { cardDownload, exportCardQuery } from "../../shared/models/card-schemas.ts";
import { cardFromModel, cardPng } from "../../shared/models/character-card.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";

/**
 * GET /fine-tune-card/:modelId?format=json|png — the persona as a Character Card V3, for the
 * owner or, for a public model, anyone (without the owner's examples). Importing it again gives
 * the same persona.
 */
export default defineEndpoint({
  name: "fine-tune-card",
  methods: ["GET"],
  auth: "user",
  path: modelIdPath,
  params: modelIdParams,
  query: exportCardQuery,
  summary: "Export a model as a Character Card V3",
  description: "JSON, or a PNG whose `ccv3` tEXt chunk holds the card, or (`picture`) the picture alone, as the persona's avatar. The owner's card carries their own " +
    "and chat examples as `mes_example`; anyone else's (a public model) carries none, nor any provider field.",
  responses: {
    200: cardDownload,
    404: { description: "No such model, or one the caller may not see; for `picture`, a model without one", schema: errorBody },
  },
  async handle({ auth, params: { modelId }, query }) {
    if (query.format === "picture") return await pictureResponse(auth, modelId);
    const card = cardFromModel(await loadCardSource(auth, modelId));
    const file = `storyvoice-${modelId}.${query.format}`;
    const headers = { "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" };
    if (query.format === "png") {
      return new Response(cardPng(card, await loadCardPicture(auth, modelId)) as BodyInit, { status: 200, headers: { ...headers, "Content-Type": "image/png" } });
    }
    return new Response(JSON.stringify(card), { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
  },
});

/** The avatar: a card's picture never changes once stored, so the reader's browser may keep it a day. */
async function pictureResponse(auth: UserAuth, modelId: string): Promise<Response> {
  const picture = await loadCardPicture(auth, modelId);
  if (!picture) throw notFound("This model has no card picture.");
  return new Response(picture as BodyInit, {
    status: 200,
    headers: { "Content-Type": "image/png", "Cache-Control": "private, max-age=86400" },
  });
}
