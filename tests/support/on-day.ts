import { vi } from "vitest";
import { CLOCK_SETTING } from "../../shared/clock.ts";
import { TEST_TODAY } from "./test-day.ts";

/**
 * Noon UTC on `day` for the product's dated decisions and the simulators' shutdowns alone; the
 * process clock stays real, so tokens stay valid and the database's timestamps stay behind it.
 */
export function pinDay(day: string) {
  process.env[CLOCK_SETTING] = `${day}T12:00:00Z`;
}

/** `pinDay`, and the process clock (Date only; timers stay real) on that day too. */
export function onDay(day: string) {
  pinDay(day);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${day}T12:00:00Z`));
}

/** Back to the real clock and the suites' pinned day (an `afterEach` of suites that use these). */
export function backToTestDay() {
  vi.useRealTimers();
  process.env[CLOCK_SETTING] = TEST_TODAY;
}
