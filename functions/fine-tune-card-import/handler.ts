import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { createModel, defaultBaseModel, estimatedTimeFor } from "../../shared/lifecycle/create-model.ts";
import { cardPreviewResponse, importCardBody, MAX_CARD_BODY_BYTES } from "../../shared/models/card-schemas.ts";
import { saveCardPicture } from "../../shared/lifecycle/model-card.ts";
import { base64ToBytes, pictureWithoutCard } from "../../shared/models/card-png.ts";
import { modelFromCard, readCard } from "../../shared/models/character-card.ts";
import type { NewModel } from "../../shared/models/create-schemas.ts";
import { createdModelResponse, modelConflictError, creationQuotaResponse } from "../../shared/models/responses.ts";

/**
 * POST /fine-tune-card-import — a Character Card V1, V2 or V3 (JSON, or a PNG as base64) becomes a
 * model, created like the other creates: its mes_example conversations are the model's own
 * examples, topped up by generated ones.
 */
export default defineEndpoint({
  name: "fine-tune-card-import",
  methods: ["POST"],
  auth: "user",
  body: importCardBody,
  maxBodyBytes: MAX_CARD_BODY_BYTES,
  summary: "Create a model from a Character Card",
  description: "`{ card }` (the card's JSON: V1, V2 or V3) or `{ png }` (a PNG card up to 8 MiB, base64). name becomes the persona's name; " +
    "description, personality, scenario and the character_book's lore its description; first_mes its greeting; alternate_greetings its alternate greetings; " +
    "mes_example (split on `<START>`, `{{char}}`/`{{user}}` resolved) its own training examples; creator, " +
    "creator_notes and tags the book's author, description and genre when the request names no book (and are " +
    "kept, with personality and scenario, in `book_info.card` for the export). A card " +
    "that cannot be read is a 422 saying what is wrong (bad PNG, no card chunk, wrong spec, no name), and " +
    "nothing is written. A PNG's picture is kept, becomes the persona's avatar and comes back on the PNG export. " +
    "`preview: true` reads the card and answers 200 with what it would create (name, greeting, description, " +
    "the default book) without writing anything or spending a quota, so a reader can choose the book first.",
  responses: {
    200: { description: "`preview: true`: what the card would create; nothing was written", schema: cardPreviewResponse },
    202: { description: "Accepted: the `pending` model, as the other creates answer", schema: createdModelResponse },
    409: { description: "A live model for this owner, type, book and entity exists: it is `model`", schema: modelConflictError },
    429: creationQuotaResponse,
  },
  async handle({ auth, body }) {
    const card = readCard(body);
    const newModel = modelFromCard(card, {
      type: body.type,
      bookId: body.bookId,
      bookInfo: body.bookInfo,
      quick: body.quick,
      isPublic: body.isPublic,
      baseModel: body.baseModel ?? defaultBaseModel(),
      voice: body.voice,
    });
    if (body.preview) return { status: 200, body: { preview: previewOf(newModel, body.png !== undefined) } };
    const model = await createModel(auth, newModel);
    // The picture (the PNG without its card) is kept for the export; its card was read above.
    if (body.png !== undefined) await saveCardPicture(auth, model.id, pictureWithoutCard(base64ToBytes(body.png)));
    const estimatedTime = estimatedTimeFor(body.quick);
    return { status: 202, body: { model, jobInfo: { jobId: model.openai_job_id, estimatedTime }, estimatedTime } };
  },
});

/** What a card would create, as the preview answers it (the book without the card's kept parts). */
function previewOf(model: NewModel, picture: boolean) {
  const { card: _card, ...bookInfo } = model.bookInfo as NewModel["bookInfo"] & { card?: unknown };
  return {
    name: model.name,
    type: model.type,
    greeting: model.greeting ?? null,
    alternateGreetings: [...(model.alternateGreetings ?? [])],
    description: model.description ?? "",
    book: { bookId: model.bookId, bookInfo },
    examples: model.examples?.length ?? 0,
    picture,
  };
}
