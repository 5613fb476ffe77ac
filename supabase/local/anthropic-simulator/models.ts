/**
 * The Claude models the simulated Anthropic serves, and which refuse `temperature` (the newest, as
 * Anthropic's own do). Anthropic's model list states no shutdown dates.
 */
export interface SimClaudeModel {
  id: string;
  display_name: string;
  refusesTemperature: boolean;
}

export const SIM_CLAUDE_MODELS: readonly SimClaudeModel[] = [
  { id: "claude-opus-4-7", display_name: "Claude Opus 4.7", refusesTemperature: true },
  { id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", refusesTemperature: false },
  { id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5", refusesTemperature: false },
];
