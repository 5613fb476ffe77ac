import { vi } from "vitest";
import { CLOCK_SETTING } from "../../shared/clock.ts";
import { TEST_TODAY } from "./test-day.ts";

/** Noon UTC on `day` for the product's dated decisions and the process clock (Date only; timers stay real). */
export function onDay(day: string) {
  const noon = `${day}T12:00:00Z`;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(noon));
  process.env[CLOCK_SETTING] = noon;
}

/** Back to the real clock and the suites' pinned day (an `afterEach` of suites that use `onDay`). */
export function backToTestDay() {
  vi.useRealTimers();
  process.env[CLOCK_SETTING] = TEST_TODAY;
}
