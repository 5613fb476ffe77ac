/**
 * `/v1/endpoints` (dedicated endpoints), their LoRA adapters, and `/v1/hardware`, as together-ai's
 * `endpoints` resources type them: an adapter is attached by `model_id` "endpoint_name:adapter" and
 * must share the endpoint's base; a `-Reference` base has no hardware (Together: "A 404 means the
 * base (often a `-Reference` model) can't be deployed").
 */
import { http } from "msw";
import type {
  AdapterAddResponse,
  AdapterListResponse,
  AdapterRemoveResponse,
} from "together-ai/resources/endpoints/adapters";
import type {
  DedicatedEndpoint,
  EndpointListHardwareResponse,
  EndpointListResponse,
} from "together-ai/resources/endpoints/endpoints";
import { errorResponse, jsonResponse, readJsonObject } from "../openai-simulator/responses.ts";
import { liveAdapterBase, SIM_ACCOUNT } from "./fine-tunes.ts";
import type { TogetherSimEndpoint, TogetherSimState } from "./state.ts";

/** The hardware the simulator offers, at an H100's list price (cents per minute of uptime). */
export const SIM_HARDWARE = { id: "1x_nvidia_h100_80gb_sxm", centsPerMinute: 5.6 } as const;

export function endpointObject(endpoint: TogetherSimEndpoint): DedicatedEndpoint {
  return {
    id: endpoint.id,
    object: "endpoint",
    name: endpoint.name,
    display_name: endpoint.name,
    model: endpoint.model,
    hardware: endpoint.hardware,
    type: "dedicated",
    owner: SIM_ACCOUNT,
    state: endpoint.state,
    autoscaling: { min_replicas: endpoint.minReplicas, max_replicas: endpoint.minReplicas },
    created_at: new Date(endpoint.createdAtMs).toISOString(),
  };
}

/** A new LoRA-enabled endpoint on `model`; null for a base no dedicated endpoint can host. */
export function createSimEndpoint(
  state: TogetherSimState,
  { model, endpointState = "STARTED", minReplicas = 1 }: { model: string; endpointState?: TogetherSimEndpoint["state"]; minReplicas?: number },
): TogetherSimEndpoint | null {
  if (/-Reference$/i.test(model)) return null;
  const hash = crypto.randomUUID().slice(0, 8);
  const endpoint: TogetherSimEndpoint = {
    id: `endpoint-${crypto.randomUUID()}`,
    name: `${SIM_ACCOUNT}/${model}-${hash}`,
    model,
    hardware: SIM_HARDWARE.id,
    state: endpointState,
    minReplicas,
    createdAtMs: state.now(),
    adapters: new Set(),
  };
  state.endpoints.set(endpoint.id, endpoint);
  return endpoint;
}

/** Whether `adapter` is attached to a running endpoint (so chat may use it). */
export function attachedToRunningEndpoint(state: TogetherSimState, adapter: string): boolean {
  return [...state.endpoints.values()].some((endpoint) => endpoint.state === "STARTED" && endpoint.adapters.has(adapter));
}

function notFound(id: string): Response {
  return errorResponse(404, `Endpoint ${id} not found`, { code: "not_found" });
}

export function endpointHandlers(state: TogetherSimState) {
  const find = (id: unknown) => state.endpoints.get(String(id));
  /** The adapter named by a combined `model_id`, or the problem with it. */
  const adapterOf = (endpoint: TogetherSimEndpoint, body: Record<string, unknown> | null): string | Response => {
    const modelId = body?.model_id;
    if (typeof modelId !== "string" || !modelId.includes(":")) {
      return errorResponse(400, 'model_id must be "endpoint_name:adapter_model_name".', { param: "model_id" });
    }
    const [prefix, ...rest] = modelId.split(":");
    if (prefix !== endpoint.name) {
      return errorResponse(400, `The endpoint name ${prefix} does not match endpoint ${endpoint.id}.`, { param: "model_id" });
    }
    return rest.join(":");
  };
  return [
    http.get("*/v1/endpoints", () => {
      const list: EndpointListResponse = {
        object: "list",
        data: [...state.endpoints.values()].map((endpoint) => {
          const { id, object, name, model, type, owner, state: status, created_at } = endpointObject(endpoint);
          return { id, object, name, model, type, owner, state: status, created_at };
        }),
      };
      return jsonResponse(list);
    }),
    http.get("*/v1/endpoints/:id", ({ params }) => {
      const endpoint = find(params.id);
      return endpoint ? jsonResponse(endpointObject(endpoint)) : notFound(String(params.id));
    }),
    http.get("*/v1/endpoints/:id/adapters", ({ params }) => {
      const endpoint = find(params.id);
      if (!endpoint) return notFound(String(params.id));
      const list: AdapterListResponse = {
        object: "list",
        data: [...endpoint.adapters].map((adapter) => ({
          adapter_name: adapter,
          endpoint_name: endpoint.name,
          model_id: `${endpoint.name}:${adapter}`,
        })),
      };
      return jsonResponse(list);
    }),
    http.post("*/v1/endpoints/:id/adapters", async ({ params, request }) => {
      const endpoint = find(params.id);
      if (!endpoint) return notFound(String(params.id));
      const adapter = adapterOf(endpoint, await readJsonObject(request));
      if (adapter instanceof Response) return adapter;
      const base = liveAdapterBase(state, adapter);
      if (base === null) return errorResponse(404, `Model ${adapter} not found.`, { code: "model_not_found" });
      if (base !== endpoint.model) {
        return errorResponse(400, `The adapter's base model ${base} is not compatible with the endpoint's model ${endpoint.model}.`, {
          param: "model_id",
        });
      }
      endpoint.adapters.add(adapter);
      const added: AdapterAddResponse = { model_id: `${endpoint.name}:${adapter}` };
      return jsonResponse(added);
    }),
    http.delete("*/v1/endpoints/:id/adapters", async ({ params, request }) => {
      const endpoint = find(params.id);
      if (!endpoint) return notFound(String(params.id));
      const adapter = adapterOf(endpoint, await readJsonObject(request));
      if (adapter instanceof Response) return adapter;
      if (!endpoint.adapters.delete(adapter)) return errorResponse(404, `Adapter ${adapter} is not bound to endpoint ${endpoint.id}.`);
      const removed: AdapterRemoveResponse = { deleted: true, model_id: `${endpoint.name}:${adapter}` };
      return jsonResponse(removed);
    }),
    http.get("*/v1/hardware", ({ request }) => {
      const model = new URL(request.url).searchParams.get("model");
      if (model && /-Reference$/i.test(model)) {
        return errorResponse(404, `Model ${model} is not available for dedicated endpoints.`, { code: "model_not_found" });
      }
      const hardware: EndpointListHardwareResponse = {
        object: "list",
        data: [{
          id: SIM_HARDWARE.id,
          object: "hardware",
          pricing: { cents_per_minute: SIM_HARDWARE.centsPerMinute },
          specs: { gpu_count: 1, gpu_link: "sxm", gpu_memory: 80, gpu_type: "h100" },
          updated_at: new Date(state.now()).toISOString(),
          availability: { status: "available" },
        }],
      };
      return jsonResponse(hardware);
    }),
  ];
}
