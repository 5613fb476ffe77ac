/** The Command models the simulated Compatibility API serves (ids as Cohere's docs name them). */
export const SIM_COHERE_MODELS: readonly string[] = [
  "command-a-plus-05-2026",
  "command-a-03-2025",
  "command-r7b-12-2024",
];
