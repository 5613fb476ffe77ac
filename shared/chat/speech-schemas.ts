import { z } from "zod";
import { storableText } from "../models/text.ts";
import { MAX_SPEECH_CHARACTERS } from "../providers/speech.ts";
import { SPEECH_FORMATS } from "../providers/speech-provider.ts";

/** POST /fine-tune-speech/:modelId: words of the caller's, or one of their stored replies. */
export const speakBody = z.object({
  text: storableText(MAX_SPEECH_CHARACTERS).optional().describe(`What to say, up to ${MAX_SPEECH_CHARACTERS} characters`),
  chatId: z.uuid({ message: "chatId must be a UUID" }).optional().describe(
    "A reply to read aloud: a message's `chatId` in GET /fine-tune-conversations (only the caller's own)",
  ),
  format: z.enum(SPEECH_FORMATS).default("mp3").describe("`mp3` (audio/mpeg) or `wav` (audio/wav, 16-bit PCM)"),
}).strict().refine((body) => (body.text === undefined) !== (body.chatId === undefined), {
  message: "Send either text or chatId",
  path: ["text"],
});

/** GET /fine-tune-speech: what a voice picker offers. */
export const speechOptionsResponse = z.object({
  success: z.literal(true),
  configured: z.boolean().describe("False: this deployment has no speech provider (POST answers 501)"),
  voices: z.array(z.string()).describe("The voices a persona may have (`voice` at creation or through the Data API)"),
  defaultVoice: z.string().describe("The voice of personas that chose none"),
  formats: z.array(z.enum(SPEECH_FORMATS)),
  maxCharacters: z.number().int().describe("Most characters one request speaks; a longer reply is cut at a sentence end"),
}).meta({ id: "SpeechOptions" });

/** The audio answer: streamed as the provider makes it. */
export const speechDownload = {
  description: "The words in the persona's voice, streamed as they are made (no Content-Length); " +
    "`X-Speech-Voice` names the voice, `X-Speech-Characters` how many characters were spoken",
  alternatives: { "audio/mpeg": null, "audio/wav": null },
  headers: {
    "X-Speech-Voice": "The voice that speaks",
    "X-Speech-Characters": "How many characters were spoken",
  },
} as const;
