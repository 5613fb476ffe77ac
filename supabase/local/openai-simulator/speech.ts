/** `/v1/audio/speech`: real audio whose length follows the input, streamed in chunks. */
import { http } from "msw";
import { record } from "../recorded.ts";
import { errorResponse, invalidJsonResponse, readJsonObject, waitUnlessAborted } from "./responses.ts";
import type { SimState } from "./state.ts";
import { speechMp3Chunks, speechWavChunks } from "./wav.ts";

/** OpenAI's voices: the simulator refuses others, as OpenAI does. */
export const SIMULATED_VOICES = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse"];
const MAX_INPUT_CHARACTERS = 4096;
const CONTENT_TYPES = { wav: "audio/wav", mp3: "audio/mpeg" } as const;

/** Handler for text-to-speech. */
export function speechHandlers(state: SimState) {
  return [
    http.post("*/v1/audio/speech", async ({ request }) => {
      const body = await readJsonObject(request);
      if (!body) return invalidJsonResponse();
      const { model, input, voice } = body;
      const format = body.response_format ?? "mp3";
      if (typeof model !== "string" || model === "") {
        return errorResponse(400, "Missing required parameter: 'model'.", { param: "model", code: "missing_required_parameter" });
      }
      if (typeof input !== "string" || input === "") {
        return errorResponse(400, "Missing required parameter: 'input'.", { param: "input", code: "missing_required_parameter" });
      }
      if (input.length > MAX_INPUT_CHARACTERS) {
        return errorResponse(400, `'input' must be at most ${MAX_INPUT_CHARACTERS} characters.`, { param: "input", code: "string_above_max_length" });
      }
      if (typeof voice !== "string" || !SIMULATED_VOICES.includes(voice)) {
        return errorResponse(400, `Invalid value for 'voice': expected one of ${SIMULATED_VOICES.join(", ")}.`, { param: "voice" });
      }
      if (format !== "wav" && format !== "mp3") {
        return errorResponse(400, "The simulator speaks 'wav' and 'mp3' only.", { param: "response_format" });
      }
      record(state.speechRequests, { model, input, voice, response_format: format });
      const chunks = format === "wav" ? speechWavChunks(input, voice) : speechMp3Chunks(input);
      const signal = request.signal;
      let first = true;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          // As a real provider: audio arrives in pieces while it is made, not all at once.
          if (!first && state.streamDelayMs > 0 && !(await waitUnlessAborted(state.streamDelayMs, signal))) {
            controller.close();
            return;
          }
          first = false;
          const next = chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
      });
      return new Response(stream, {
        status: 200,
        headers: { "content-type": CONTENT_TYPES[format], "transfer-encoding": "chunked" },
      });
    }),
  ];
}
