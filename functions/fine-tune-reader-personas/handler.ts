import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { errorBody } from "../../shared/errors.ts";
import {
  createReaderPersona,
  deleteReaderPersona,
  editReaderPersona,
  listReaderPersonas,
} from "../../shared/chat/reader-personas.ts";
import {
  createReaderPersonaBody,
  editReaderPersonaBody,
  readerPersonaDeletedResponse,
  readerPersonaListResponse,
  readerPersonaParams,
  readerPersonaResponse,
} from "../../shared/chat/reader-persona-schemas.ts";

const name = "fine-tune-reader-personas";
const personaPath = ["personaId"] as const;
const notYours = { description: "No such persona of the caller's, or no such model to play", schema: errorBody };

/**
 * Who the caller is in their chats ("you are talking with ..."): GET lists their personas, POST
 * adds one, PATCH and DELETE on /:personaId change and remove. The default answers for them in
 * every conversation that chose no other (POST /fine-tune-chat `readerPersonaId`).
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    summary: "List who you may be in your chats",
    responses: { 200: { description: "Your reader personas", schema: readerPersonaListResponse } },
    async handle({ auth }) {
      return { body: { personas: await listReaderPersonas(auth) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    body: createReaderPersonaBody,
    summary: "Add a reader persona (optionally a character of a book you play, optionally your default)",
    description: "`playsModelId`: a persona (model) you may see; chats with personas of the same book then answer " +
      "you as that character. `isDefault: true` takes the default from your earlier one.",
    responses: {
      201: { description: "Added", schema: readerPersonaResponse },
      404: notYours,
      409: { description: "20 personas already (`reader_persona_limit_reached`)", schema: errorBody },
    },
    async handle({ auth, body }) {
      return { status: 201, body: { persona: await createReaderPersona(auth, body) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PATCH"],
    auth: "user",
    path: personaPath,
    params: readerPersonaParams,
    body: editReaderPersonaBody,
    summary: "Change one of your reader personas",
    responses: { 200: { description: "The persona as stored", schema: readerPersonaResponse }, 404: notYours },
    async handle({ auth, params: { personaId }, body }) {
      return { body: { persona: await editReaderPersona(auth, personaId, body) } };
    },
  }),
  defineEndpoint({
    name,
    methods: ["DELETE"],
    auth: "user",
    path: personaPath,
    params: readerPersonaParams,
    summary: "Delete one of your reader personas",
    description: "Conversations that chose it go back to your default.",
    responses: { 200: { description: "Deleted", schema: readerPersonaDeletedResponse }, 404: notYours },
    async handle({ auth, params: { personaId } }) {
      await deleteReaderPersona(auth, personaId);
      return { body: { message: "Persona deleted." } };
    },
  }),
);
