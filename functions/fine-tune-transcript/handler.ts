import { errorBody, validationFailed } from "../../shared/errors.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { conversationsWithModel } from "../../shared/transcripts/conversation-source.ts";
import { exportTranscript } from "../../shared/transcripts/export.ts";
import { importTranscript, parseTranscript } from "../../shared/transcripts/import.ts";
import { CONTENT_TYPES } from "../../shared/transcripts/render.ts";
import { exportTranscriptZip } from "../../shared/transcripts/zip-export.ts";
import {
  importedTranscriptResponse,
  importTranscriptBody,
  MAX_IMPORT_BYTES,
  transcriptDownload,
  transcriptParams,
  transcriptQuery,
} from "../../shared/transcripts/schemas.ts";

const name = "fine-tune-transcript";
const notYours = { description: "No such conversation or model, or not the caller's", schema: errorBody };

/**
 * Transcripts out and in. GET /:conversationId exports one conversation (one-to-one or group),
 * GET ?modelId= every one-to-one conversation of the caller with a model, as JSON lines (the chat
 * format SillyTavern-style tools read), plain text or Markdown, streamed; POST imports JSON lines
 * as a new conversation with a model. Only the user who chatted reads or exports a conversation.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    path: ["conversationId"],
    params: transcriptParams,
    pathMethods: ["GET"],
    query: transcriptQuery,
    summary: "Export a conversation, or every conversation with a model, as a transcript",
    description: "`/{conversationId}`: one conversation; without it, `modelId` names the model whose one-to-one " +
      "conversations (oldest first) are exported: as JSON lines, a zip with one chat file per conversation " +
      "(`application/zip`); as text or Markdown, one after another in one file.",
    responses: { 200: transcriptDownload, 404: notYours },
    async handle({ auth, params, query }) {
      let conversationIds: string[];
      if (params.conversationId) conversationIds = [params.conversationId];
      else if (query.modelId) conversationIds = await conversationsWithModel(auth, query.modelId);
      else throw validationFailed([{ path: ["modelId"], message: "Name a conversation in the path, or a modelId" }], 400);
      // A chat file has one header line: several conversations as JSON lines are several files.
      const zipped = !params.conversationId && query.format === "jsonl";
      const stream = zipped
        ? await exportTranscriptZip(auth, conversationIds)
        : await exportTranscript(auth, conversationIds, query.format);
      const file = `storyvoice-${params.conversationId ?? query.modelId}.${zipped ? "zip" : query.format}`;
      return new Response(stream, {
        status: 200,
        headers: {
          "Content-Type": zipped ? "application/zip" : CONTENT_TYPES[query.format],
          "Content-Disposition": `attachment; filename="${file}"`,
          "Cache-Control": "no-store",
        },
      });
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    body: importTranscriptBody,
    maxBodyBytes: MAX_IMPORT_BYTES,
    summary: "Import a JSON-lines transcript as a new conversation with a model",
    description: "The lines of one chat, as SillyTavern saves it or this API exports it: an optional header " +
      "line (known by `user_name`/`character_name`/`create_date`/`chat_metadata`), then the messages. Each run " +
      "of the reader's messages and the persona's reply after it is one exchange (lines of one side joined by a " +
      "blank line). The persona's greeting before the reader speaks is kept as the conversation's opening " +
      "(`opening: true`); narrator lines (`is_system`, `extra.type: \"narrator\"`), empty messages and unchosen " +
      "`swipes` are not stored and are counted in `skipped`. Stored as `imported`: never " +
      "the model's words. Any bad line refuses the whole import (422, one issue per line: path " +
      "`[\"transcript\", line]`); nothing is written.",
    responses: {
      201: { description: "Stored as a new conversation", schema: importedTranscriptResponse },
      404: notYours,
    },
    async handle({ auth, body }) {
      const { skipped, ...transcript } = parseTranscript(body.transcript);
      const imported = await importTranscript(auth, body.modelId, transcript);
      return { status: 201, body: { modelId: body.modelId, ...imported, skipped } };
    },
  }),
);
