/**
 * A simulated Together fine-tune's life as a pure function of the clock (no timers run):
 * pending (first 10% of the duration) -> queued (to 30%) -> running (to 80%) -> compressing
 * (to 90%) -> uploading (to 100%) -> completed, or `error` at the end when told to fail. A cancel
 * reads `cancel_requested` for 5% of the duration, then `cancelled`.
 */

export type TogetherJobStatus =
  | "pending"
  | "queued"
  | "running"
  | "compressing"
  | "uploading"
  | "cancel_requested"
  | "cancelled"
  | "error"
  | "completed";

/** The fixed facts a job's status is computed from. */
export interface TogetherSchedule {
  createdAtMs: number;
  durationMs: number;
  /** How the job ends when nothing cancels it. */
  outcome: "completed" | "error";
  errorMessage: string;
  cancelRequestedAtMs: number | null;
  /** Steps the running phase reports (examples x epochs). */
  totalSteps: number;
}

const PHASES: readonly [number, TogetherJobStatus][] = [
  [0.1, "pending"],
  [0.3, "queued"],
  [0.8, "running"],
  [0.9, "compressing"],
  [1, "uploading"],
];
const CANCEL_SHARE = 0.05;
const RUNNING_STARTS = 0.3;
const RUNNING_ENDS = 0.8;

function fractionAt(schedule: TogetherSchedule, nowMs: number): number {
  return (nowMs - schedule.createdAtMs) / schedule.durationMs;
}

export function isFinished(status: TogetherJobStatus): boolean {
  return status === "completed" || status === "error" || status === "cancelled";
}

/** The status at `nowMs`. */
export function statusAt(schedule: TogetherSchedule, nowMs: number): TogetherJobStatus {
  const cancelAt = schedule.cancelRequestedAtMs;
  if (cancelAt !== null && nowMs >= cancelAt) {
    return nowMs >= cancelAt + CANCEL_SHARE * schedule.durationMs ? "cancelled" : "cancel_requested";
  }
  const fraction = fractionAt(schedule, nowMs);
  if (fraction >= 1) return schedule.outcome;
  return PHASES.find(([end]) => fraction < end)![1];
}

/** Steps done so far while running (0 before, all after). */
export function stepAt(schedule: TogetherSchedule, nowMs: number): number {
  const fraction = fractionAt(schedule, Math.min(nowMs, schedule.cancelRequestedAtMs ?? nowMs));
  const share = (fraction - RUNNING_STARTS) / (RUNNING_ENDS - RUNNING_STARTS);
  return Math.max(0, Math.min(schedule.totalSteps, Math.floor(share * schedule.totalSteps)));
}
