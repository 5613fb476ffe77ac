/**
 * The day every suite runs on (STORYVOICE_CLOCK, set for the test workers in vitest.config.ts and
 * for every stack a test starts): before OpenAI closes fine-tuning on the default bases, so the
 * suites test the product as it behaves then, whatever the calendar says. Suites about the dated
 * behaviour itself pass their own day (`onDay`, or an explicit `asOf`). No vitest import here: the
 * config and the global setup read it too.
 */
export const TEST_TODAY = "2026-12-15T00:00:00Z";
