import { z } from "zod";
import { parseProviderResponse } from "../../llm/errors.ts";
import type { ListedModel } from "../chat-provider.ts";
import { openAI } from "./client.ts";
import { toProviderError } from "./errors.ts";

const ACTION = "listing the provider's models";

// `shutdown_date` is a date (`2027-01-14`) or unix seconds; absent or null when none is announced.
const modelListSchema = z.object({
  data: z.array(z.object({
    id: z.string().min(1),
    shutdown_date: z.union([z.string(), z.number()]).nullish(),
  })),
});

function asDate(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/**
 * GET /v1/models: every base model the key may use, with its `shutdown_date`. Fine-tunes (`ft:`)
 * are left out: a fine-tune lives as long as its base.
 */
export async function listOpenAIModels(): Promise<ListedModel[]> {
  let body: unknown;
  try {
    // The raw page: the SDK's types do not carry shutdown_date.
    body = await (await openAI()).get("/models");
  } catch (error) {
    throw toProviderError(error, { action: ACTION });
  }
  const page = parseProviderResponse(modelListSchema, body, ACTION);
  return page.data
    .filter((model) => !model.id.startsWith("ft:"))
    .map((model) => ({ id: model.id, shutdownDate: asDate(model.shutdown_date) }));
}
