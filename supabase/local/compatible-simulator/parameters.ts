/**
 * The request rules of Cohere's Compatibility API, from its reference page
 * (docs.cohere.com/docs/compatibility-api, "Supported parameters" and "Unsupported parameters" for
 * chat completions). A parameter on neither list (`stream_options`, `max_completion_tokens`,
 * `tool_choice`, ...) is refused too: the simulator holds the client to what is documented, so a
 * test that passes here proves the client sends nothing else.
 */
export const SUPPORTED_CHAT_PARAMETERS: ReadonlySet<string> = new Set([
  "model",
  "messages",
  "stream",
  "reasoning_effort",
  "response_format",
  "tools",
  "temperature",
  "max_tokens",
  "stop",
  "seed",
  "top_p",
  "frequency_penalty",
  "presence_penalty",
]);

/** Named by the page as not supported. */
export const UNSUPPORTED_CHAT_PARAMETERS: ReadonlySet<string> = new Set([
  "store",
  "metadata",
  "logit_bias",
  "top_logprobs",
  "n",
  "modalities",
  "prediction",
  "audio",
  "service_tier",
  "parallel_tool_calls",
]);

/** "Only `none` and `high` are currently supported" for `reasoning_effort`. */
const REASONING_EFFORTS = new Set(["none", "high"]);
/** Structured output as the page shows it: `json_object`, with an optional `schema`. */
const RESPONSE_FORMATS = new Set(["text", "json_object"]);

/** Why Cohere would refuse this body's parameters (its `invalid request: ...` wording), or null. */
export function refusedParameter(body: Record<string, unknown>): string | null {
  for (const name of Object.keys(body)) {
    if (UNSUPPORTED_CHAT_PARAMETERS.has(name)) return `invalid request: '${name}' is not supported by the Compatibility API`;
    if (!SUPPORTED_CHAT_PARAMETERS.has(name)) return `invalid request: unknown field '${name}'`;
  }
  if (body.reasoning_effort !== undefined && !REASONING_EFFORTS.has(String(body.reasoning_effort))) {
    return "invalid request: reasoning_effort must be one of 'none' or 'high'";
  }
  const format = body.response_format as { type?: unknown } | undefined;
  if (format !== undefined && !RESPONSE_FORMATS.has(String(format?.type))) {
    return `invalid request: response_format type '${String(format?.type)}' is not supported`;
  }
  if (body.max_tokens !== undefined && !(Number.isInteger(body.max_tokens) && (body.max_tokens as number) > 0)) {
    return "invalid request: max_tokens must be a positive integer";
  }
  return null;
}
