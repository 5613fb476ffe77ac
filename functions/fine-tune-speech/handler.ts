import { speak } from "../../shared/chat/speech.ts";
import { speakBody, speechDownload, speechOptionsResponse } from "../../shared/chat/speech-schemas.ts";
import { errorBody } from "../../shared/errors.ts";
import { defineEndpoint } from "../../shared/http/endpoint.ts";
import { defineRoutes } from "../../shared/http/routes.ts";
import { modelIdParams, modelIdPath } from "../../shared/models/schemas.ts";
import { MAX_SPEECH_CHARACTERS, speechSettings } from "../../shared/providers/speech.ts";
import { SPEECH_FORMATS } from "../../shared/providers/speech-provider.ts";

const name = "fine-tune-speech";

/**
 * Replies read aloud. GET answers what a voice picker offers; POST /:modelId speaks the caller's
 * words, or one of their stored replies, in the persona's voice, streamed as the provider makes it.
 */
export default defineRoutes(
  defineEndpoint({
    name,
    methods: ["GET"],
    auth: "user",
    summary: "The voices a persona may speak in, and whether speech is configured",
    responses: { 200: { description: "The speech options of this deployment", schema: speechOptionsResponse } },
    handle() {
      const settings = speechSettings();
      return Promise.resolve({
        body: {
          configured: settings.configured,
          voices: [...settings.voices],
          defaultVoice: settings.defaultVoice,
          formats: [...SPEECH_FORMATS],
          maxCharacters: MAX_SPEECH_CHARACTERS,
        },
      });
    },
  }),
  defineEndpoint({
    name,
    methods: ["POST"],
    auth: "user",
    path: modelIdPath,
    params: modelIdParams,
    body: speakBody,
    summary: "Read words or a reply aloud in the persona's voice",
    description: "`{ text }` (up to 4,096 characters) or `{ chatId }` (one of the caller's own exchanges with " +
      "this model; a longer reply is cut at a sentence end), with `format` `mp3` (default) or `wav`. The audio " +
      "streams as the speech provider makes it. Any model the caller may see; anything else is a 404.",
    responses: {
      200: speechDownload,
      404: { description: "No such model or reply, or not the caller's", schema: errorBody },
      501: { description: "`speech_not_configured`: this deployment has no speech provider", schema: errorBody },
      502: { description: "The speech provider failed (`provider_error`, retryable) or refused (`speech_refused`)", schema: errorBody },
      503: { description: "The speech provider is busy or timed out (`provider_unavailable`, retryable)", schema: errorBody },
    },
    async handle({ auth, params: { modelId }, body, request }) {
      const source = body.chatId ? { chatId: body.chatId } : { text: body.text! };
      const audio = await speak(auth, modelId, source, body.format, request.signal);
      return new Response(audio.body, {
        status: 200,
        headers: {
          "Content-Type": audio.contentType,
          "Cache-Control": "no-store",
          "X-Speech-Voice": audio.voice,
          "X-Speech-Characters": String(audio.characters),
        },
      });
    },
  }),
);
