import type Anthropic from "@anthropic-ai/sdk";

/**
 * The Claude models the simulated Anthropic knows, as `@anthropic-ai/sdk` 1.15.0 lists them (its
 * `Model` type and `DEPRECATED_MODELS`): GET /v1/models shows the active and deprecated ones, the
 * retired only when asked (`lifecycle=retired`); a request naming a retired or unknown model is
 * a 404 `not_found_error`.
 */
export interface SimClaudeModel {
  id: Anthropic.Model;
  display_name: string;
  line: Anthropic.ModelLine;
  lifecycle: Anthropic.ModelInfo["lifecycle"];
  /** `YYYY-MM-DD`: the scheduled (or past) retirement; null while active. */
  retires_at: string | null;
}

export const SIM_CLAUDE_MODELS: readonly SimClaudeModel[] = [
  { id: "claude-sonnet-5-5", display_name: "Claude Sonnet 5.5", line: "sonnet", lifecycle: "active", retires_at: null },
  { id: "claude-opus-5-5", display_name: "Claude Opus 5.5", line: "opus", lifecycle: "active", retires_at: null },
  { id: "claude-haiku-5-5", display_name: "Claude Haiku 5.5", line: "haiku", lifecycle: "active", retires_at: null },
  { id: "claude-sonnet-5", display_name: "Claude Sonnet 5", line: "sonnet", lifecycle: "active", retires_at: null },
  { id: "claude-opus-4-7", display_name: "Claude Opus 4.7", line: "opus", lifecycle: "active", retires_at: null },
  { id: "claude-sonnet-4-6", display_name: "Claude Sonnet 4.6", line: "sonnet", lifecycle: "active", retires_at: null },
  { id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5", line: "haiku", lifecycle: "active", retires_at: null },
  // Deprecated: end of life January 22nd, 2027 (the SDK's DEPRECATED_MODELS).
  { id: "claude-opus-4-5", display_name: "Claude Opus 4.5", line: "opus", lifecycle: "deprecated", retires_at: "2027-01-22" },
  // Retired on 2026-11-30 (SDK 1.15.0 changelog: "remove retired Claude Sonnet 4.5 models").
  { id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", line: "sonnet", lifecycle: "retired", retires_at: "2026-11-30" },
];

/** The model a request may name: known and not retired (by the list or by the test). */
export function servedModel(id: string, retired: ReadonlySet<string>): SimClaudeModel | undefined {
  const model = SIM_CLAUDE_MODELS.find((entry) => entry.id === id);
  return model && model.lifecycle !== "retired" && !retired.has(id) ? model : undefined;
}

/** A model as GET /v1/models answers it. */
export function modelInfo(model: SimClaudeModel): Anthropic.ModelInfo {
  const retiresAt = model.retires_at ? `${model.retires_at}T00:00:00Z` : null;
  return {
    type: "model",
    id: model.id,
    display_name: model.display_name,
    created_at: "2026-01-01T00:00:00Z",
    capabilities: null,
    deprecated_at: model.lifecycle === "active" ? null : "2026-09-01T00:00:00Z",
    lifecycle: model.lifecycle,
    line: model.line,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    retires_at: model.lifecycle === "active" ? null : retiresAt,
  };
}
