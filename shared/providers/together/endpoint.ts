import { z } from "zod";
import type { AdapterAddParams, AdapterListResponse, AdapterRemoveParams } from "together-ai/resources/endpoints/adapters";
import type { DedicatedEndpoint, EndpointListHardwareResponse } from "together-ai/resources/endpoints/endpoints";
import { env } from "../../env.ts";
import { parseProviderResponse, ProviderError } from "../../llm/errors.ts";
import type { HostingState } from "../training-provider.ts";
import { jsonBody, togetherJson } from "./client.ts";

/**
 * The dedicated endpoint (TOGETHER_ENDPOINT_ID) that hosts the persona adapters: read it, attach
 * a completed fine-tune to it (`POST /endpoints/{id}/adapters`, `model_id` "endpoint_name:adapter"),
 * detach one, and what it costs while it runs. Paths and bodies are those of `together-ai`'s
 * `endpoints` and `endpoints.adapters` resources; the zod schemas are checked against its types.
 */

const ENDPOINT_STATES = ["PENDING", "STARTING", "STARTED", "STOPPING", "STOPPED", "ERROR"] as const;
const endpointSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  model: z.string().min(1),
  hardware: z.string().min(1),
  state: z.enum(ENDPOINT_STATES),
  autoscaling: z.object({ min_replicas: z.number(), max_replicas: z.number() }),
});
// A field Together renames or drops in its SDK fails `deno check` here.
const _endpointMatchesSdk: z.ZodType<Pick<DedicatedEndpoint, "id" | "name" | "model" | "hardware" | "state" | "autoscaling">> =
  endpointSchema;
type Endpoint = z.infer<typeof endpointSchema>;

const adapterListSchema = z.object({
  data: z.array(z.object({ model_id: z.string().optional(), adapter_name: z.string().optional() })).optional(),
});
const _adaptersMatchSdk: z.ZodType<AdapterListResponse> = adapterListSchema;

const hardwareSchema = z.object({
  data: z.array(z.object({ id: z.string(), pricing: z.object({ cents_per_minute: z.number() }) })),
});
const _hardwareMatchesSdk: z.ZodType<{ data: Pick<EndpointListHardwareResponse.Data, "id" | "pricing">[] }> = hardwareSchema;

/** How long chat trusts the endpoint's adapter list it read (attach and detach refresh it at once). */
const ADAPTERS_TTL_MS = 30_000;
let adapters: { endpointId: string; names: Set<string>; readAt: number } | undefined;

function endpointId(): string {
  const id = env().TOGETHER_ENDPOINT_ID;
  if (!id) throw new Error("TOGETHER_ENDPOINT_ID is not set"); // configuration, checked by the callers
  return id;
}

const path = (id: string, tail = "") => `/endpoints/${encodeURIComponent(id)}${tail}`;

/** The configured endpoint as Together shows it. */
export async function readEndpoint(): Promise<Endpoint> {
  const action = "reading the Together dedicated endpoint";
  return parseProviderResponse(endpointSchema, await togetherJson(path(endpointId()), { method: "GET" }, { action }), action);
}

/** The adapter names the endpoint serves now (cached briefly: chat asks on every turn). */
export async function attachedAdapters(): Promise<Set<string>> {
  const id = endpointId();
  if (adapters?.endpointId === id && performance.now() - adapters.readAt < ADAPTERS_TTL_MS) return adapters.names;
  const action = "listing the adapters of the Together dedicated endpoint";
  const list = parseProviderResponse(adapterListSchema, await togetherJson(path(id, "/adapters"), { method: "GET" }, { action }), action);
  const names = new Set((list.data ?? []).flatMap((entry) => {
    const adapter = entry.adapter_name ?? entry.model_id?.split(":").slice(1).join(":");
    return adapter ? [adapter] : [];
  }));
  adapters = { endpointId: id, names, readAt: performance.now() };
  return names;
}

/** Attaches `adapter` (a fine-tune's output name) to the endpoint; already attached is fine. */
export async function attachAdapter(adapter: string): Promise<void> {
  if ((await attachedAdapters()).has(adapter)) return;
  const endpoint = await readEndpoint();
  const body: AdapterAddParams = { model_id: `${endpoint.name}:${adapter}` };
  await togetherJson(path(endpoint.id, "/adapters"), jsonBody(body), { action: "attaching the fine-tune to the Together dedicated endpoint" });
  adapters?.names.add(adapter);
}

/** Detaches `adapter` from the endpoint; one not attached is left as it is. */
export async function detachAdapter(adapter: string): Promise<void> {
  if (!(await attachedAdapters()).has(adapter)) return;
  const endpoint = await readEndpoint();
  const body: AdapterRemoveParams = { model_id: `${endpoint.name}:${adapter}` };
  try {
    await togetherJson(path(endpoint.id, "/adapters"), { ...jsonBody(body), method: "DELETE" }, {
      action: "detaching the fine-tune from the Together dedicated endpoint",
    });
  } catch (error) {
    if (!(error instanceof ProviderError && error.kind === "not_found")) throw error;
  }
  adapters?.names.delete(adapter);
}

/**
 * The endpoint's billing now: running while Together holds its hardware (starting, started or
 * stopping), at the hardware's price (`GET /hardware`, cents per minute) times its minimum replicas
 * (the replicas it keeps even idle: an estimate, the bill is the truth).
 */
export async function endpointHosting(): Promise<HostingState> {
  const endpoint = await readEndpoint();
  const action = "reading the Together hardware prices";
  const hardware = parseProviderResponse(
    hardwareSchema,
    await togetherJson(`/hardware?model=${encodeURIComponent(endpoint.model)}`, { method: "GET" }, { action }),
    action,
  );
  const cents = hardware.data.find((entry) => entry.id === endpoint.hardware)?.pricing.cents_per_minute ?? 0;
  return {
    billedModel: endpoint.id,
    running: endpoint.state === "STARTING" || endpoint.state === "STARTED" || endpoint.state === "STOPPING",
    usdPerMinute: (cents / 100) * Math.max(1, endpoint.autoscaling.min_replicas),
  };
}

/** Forgets the cached adapter list (tests switch endpoints). */
export function resetTogetherEndpointCache(): void {
  adapters = undefined;
}
