/** `/v1/models`: the serverless base models and the account's completed fine-tunes, as together-ai types them. */
import { http } from "msw";
import type { ModelListResponse } from "together-ai/resources/models/models";
import { jsonResponse } from "../openai-simulator/responses.ts";
import type { TogetherSimState } from "./state.ts";
import { adapterStatus } from "./fine-tunes.ts";

export function modelHandlers(state: TogetherSimState) {
  return [
    http.get("*/v1/models", () => {
      const created = Math.floor(state.now() / 1000);
      const bases = [...state.serverlessLoraBases].map((id) => ({
        id,
        object: "model" as const,
        type: "chat" as const,
        created,
        display_name: id.split("/").at(-1),
        organization: id.split("/")[0],
        pricing: { base: 0, finetune: 0, hourly: 0, input: 0.18, output: 0.18 },
      }));
      const adapters = [...state.jobs.values()]
        .filter((job) => adapterStatus(state, job.outputName) === "live")
        .map((job) => ({ id: job.outputName, object: "model" as const, type: "chat" as const, created }));
      const list: ModelListResponse = [...bases, ...adapters];
      return jsonResponse(list);
    }),
  ];
}
