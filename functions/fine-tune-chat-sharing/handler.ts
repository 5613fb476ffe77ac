import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { readChatSharing, writeChatSharing } from "../../shared/chat/sharing-consent.ts";
import { chatSharingBody, chatSharingResponse } from "../../shared/chat/sharing-schemas.ts";

const name = "fine-tune-chat-sharing";

/**
 * The reader's consent to share up-rated exchanges with the owners of public models (off by
 * default): GET reads it, PUT sets it. The same row is `public.chat_sharing_consents` in the Data API.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    summary: "Whether the caller shares their up-rated exchanges",
    responses: { 200: { description: "The caller's setting", schema: chatSharingResponse } },
    async handle({ auth }) {
      return { body: await readChatSharing(auth) };
    },
  }),
  defineEndpoint({
    name,
    methods: ["PUT"],
    auth: "user",
    body: chatSharingBody,
    summary: "Share (or stop sharing) up-rated exchanges with owners of public models",
    description: "With `shareRatedChats: true`, the owner of a PUBLIC model may turn the caller's up-rated " +
      "exchanges with it into training examples (POST /fine-tune-examples `{ fromRatedChats: true }`), anonymised: " +
      "e-mail addresses, phone numbers, the caller's own names and self-introduced names are replaced, and no " +
      "user id is kept. `false` stops further ones; examples already taken stay.",
    responses: { 200: { description: "The setting as stored", schema: chatSharingResponse } },
    async handle({ auth, body }) {
      return { body: await writeChatSharing(auth, body.shareRatedChats) };
    },
  }),
);
