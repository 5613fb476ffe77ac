import { withServiceTransaction } from "../db/client.ts";
import { prepareTraining } from "../lifecycle/prepare-training.ts";
import { log } from "../log.ts";
import type { TrackedRun } from "./apply-job-state.ts";

/** What the resumed creations came to. */
export interface ResumeCounts {
  /** Creation work this run took over (whatever became of it). */
  resumed: number;
  /** Failed for good (bad training data, attempts used up). */
  failed: number;
  /** Failed for now: `prepareTraining` scheduled the retry. */
  errors: number;
}

/**
 * Resumes models whose creation died before a provider job existed. `prepareTraining` claims each
 * row itself and looks the job up by model id before creating one, so even two runs resuming the
 * same model start one job. Creation is slow (the teacher writes the training data), so a run takes
 * at most `perRun` of them, all at once; the rest are handed back due for the next run.
 */
export class CreationResumer {
  readonly counts: ResumeCounts = { resumed: 0, failed: 0, errors: 0 };
  #running: Promise<void>[] = [];

  constructor(private readonly perRun: number) {}

  /** Starts what this sync run can take and returns the training runs it cannot (to hand back). */
  take(runs: readonly TrackedRun[]): TrackedRun[] {
    const room = Math.max(0, this.perRun - this.#running.length);
    for (const run of runs.slice(0, room)) this.#running.push(this.#resume(run.model_id));
    return runs.slice(room);
  }

  /** Resolves once every taken model has been worked on. */
  async settled(): Promise<void> {
    await Promise.all(this.#running);
  }

  async #resume(modelId: string) {
    try {
      const outcome = await prepareTraining(modelId);
      if (outcome === "not-claimed") return;
      this.counts.resumed++;
      if (outcome === "failed") this.counts.failed++;
      if (outcome === "retry-later") this.counts.errors++;
      log.info("training sync resumed a model's creation", { modelId, outcome });
    } catch (error) {
      // Only the database can fail outside prepareTraining's own handling; the row's claim lease
      // expires and a later run tries again.
      this.counts.errors++;
      log.warn("training sync could not resume a model's creation", { modelId, error });
    }
  }
}

/** Makes training runs this sync run could not resume due again at once (they carry no lease, only a hold). */
export async function handBackCreations(runs: readonly TrackedRun[], now: Date): Promise<void> {
  if (runs.length === 0) return;
  await withServiceTransaction((tx) =>
    tx`
      update public.training_runs
      set next_check_at = ${now.toISOString()}::timestamptz
      where id = any(${runs.map((run) => run.id)}::uuid[])
        and provider_job_id is null
        and lease_expires_at is null`
  );
}
