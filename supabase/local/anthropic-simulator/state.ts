/** The simulated Anthropic's world: recorded requests, retired models, armed faults. */
import type Anthropic from "@anthropic-ai/sdk";

export interface AnthropicFault {
  status: number;
  message?: string;
  remaining: number;
}

export interface AnthropicSimState {
  /** /v1/messages bodies that passed auth, in order: the newest `RECORDED_LIMIT` (../recorded.ts). */
  requests: Array<Record<string, unknown>>;
  retiredModels: Set<string>;
  faults: AnthropicFault[];
  /** Error types of armed mid-stream errors, consumed one per streamed answer. */
  streamErrors: Anthropic.ErrorObject["type"][];
  takeStreamError(): Anthropic.ErrorObject["type"] | null;
}

export function createAnthropicState(): AnthropicSimState {
  const state: AnthropicSimState = {
    requests: [],
    retiredModels: new Set(),
    faults: [],
    streamErrors: [],
    takeStreamError: () => state.streamErrors.shift() ?? null,
  };
  return state;
}
