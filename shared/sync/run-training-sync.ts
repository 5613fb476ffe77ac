import { today } from "../clock.ts";
import { withServiceTransaction } from "../db/client.ts";
import { CREATION_LEASE_SECONDS } from "../lifecycle/model-store.ts";
import { type LeftoverReport, retryLeftovers } from "../lifecycle/provider-leftovers.ts";
import { log } from "../log.ts";
import { type CatalogueRefresh, refreshCatalogue } from "../catalogue/refresh.ts";
import { type ModelWarning, reportConfiguredModels } from "../catalogue/model-choice.ts";
import { trainingServingWarnings } from "../providers/registry.ts";
import { advanceRunsWithJobs, type BatchCounts, ProviderFailureBreaker } from "./advance-runs.ts";
import { claimDueRuns } from "./claim-due-runs.ts";
import { type HostingTick, recordHostingSpend } from "./record-hosting.ts";
import { CreationResumer, handBackCreations } from "./resume-creations.ts";
import { retrainPersonasNearShutdown } from "./retrain-before-shutdown.ts";
import { checkSpendAlerts, type SpendAlertReport } from "./spend-alerts.ts";
import { type QueueReport, startQueuedRuns } from "./start-queued-runs.ts";

/** Training runs claimed per statement: large enough that 10,000 due runs take 50 round-trip pairs. */
export const SYNC_BATCH_SIZE = 200;
/**
 * How long a claim keeps other runs away. It outlasts a run (time budget plus one slow provider
 * call with its retries), so only a run that died loses its models, to the first run after this.
 */
export const SYNC_LEASE_SECONDS = 300;
/** A run stops claiming after this long: the cron starts the next one a minute after the last. */
export const SYNC_TIME_BUDGET_MS = 50_000;
/** Provider calls in flight at once, per run. */
export const SYNC_PROVIDER_CONCURRENCY = 8;
/** Creations resumed per run (each one asks the teacher model for a whole training set). */
export const SYNC_RESUMES_PER_RUN = 4;

/** Knobs of one run; the defaults are the production ones. */
export interface TrainingSyncOptions {
  batchSize?: number;
  /** Stop after claiming this many models. */
  maxModels?: number;
  timeBudgetMs?: number;
  concurrency?: number;
  /**
   * The clock "due", leases and backoff are measured with (against the database's timestamps).
   * Shutdown dates are judged as of `today()` instead: a day, not a timestamp.
   */
  clock?: () => Date;
}

/** What one run did, as the `training-sync` function answers it. */
export interface TrainingSyncReport extends BatchCounts {
  claimed: number;
  /** Creations taken over from a worker that died. */
  resumed: number;
  batches: number;
  durationMs: number;
  /** The providers whose model lists were read into the catalogue this run, and those that failed. */
  catalogue: CatalogueRefresh;
  /** Configured models that shut down within 30 days (or have), as of `today()`. */
  modelsNearShutdown: ModelWarning[];
  /** Personas this run started retraining before their fine-tune shuts down (`RETRAIN_BEFORE_SHUTDOWN_DAYS`). */
  retrainsStarted: number;
  /** Spend thresholds crossed this run, and webhook deliveries (see `spend-alerts.ts`). */
  spendAlerts: SpendAlertReport;
  /** The training queue: runs started as provider slots freed, and runs still waiting. */
  queue: QueueReport;
  /** Training providers whose default base's fine-tunes nothing could serve: such runs are refused. */
  servingWarnings: string[];
  /** Per-minute hostings (a dedicated endpoint) and the minutes this run recorded as spend. */
  hosting: HostingTick[];
  /** Fine-tunes of deleted personas their provider refused to delete: retried once a day, listed until gone. */
  leftAtProviders: LeftoverReport;
}

/**
 * One run of the training sync: claims due training runs batch by batch until none are left, the
 * time budget is spent or the provider is failing; advances the ones with a job and resumes the
 * creation of the ones without; then starts the training queue's heads in the slots that freed. Safe to run concurrently with itself and with the webhook.
 */
export async function runTrainingSync(options: TrainingSyncOptions = {}): Promise<TrainingSyncReport> {
  const started = Date.now();
  const deadline = started + (options.timeBudgetMs ?? SYNC_TIME_BUDGET_MS);
  const batchSize = options.batchSize ?? SYNC_BATCH_SIZE;
  const maxModels = options.maxModels ?? Number.POSITIVE_INFINITY;
  const clock = options.clock ?? (() => new Date());
  const breaker = new ProviderFailureBreaker();
  const resumer = new CreationResumer(SYNC_RESUMES_PER_RUN);
  // The catalogue first: the runs below (and every chat) decide on its dates.
  const catalogue = await refreshCatalogue({ now: clock() });
  const modelsNearShutdown = await reportConfiguredModels(today());
  // Their runs are due at once: the claims below prepare them like any creation.
  const retrainsStarted = await retrainPersonasNearShutdown(today());
  const servingWarnings = trainingServingWarnings();
  for (const warning of servingWarnings) log.error("TRAINED MODELS COULD NEVER ANSWER", { warning });
  const report: TrainingSyncReport = {
    claimed: 0, checked: 0, advanced: 0, completed: 0, failed: 0, resumed: 0, errors: 0, deferred: 0,
    batches: 0, durationMs: 0, catalogue, modelsNearShutdown, retrainsStarted, queue: { started: 0, waiting: 0 },
    spendAlerts: { raised: 0, delivered: 0, failed: 0 }, servingWarnings, hosting: [],
    leftAtProviders: { retried: 0, deleted: 0, left: [], remaining: 0 },
  };
  const outOfTime = () => Date.now() >= deadline;

  try {
    while (report.claimed < maxModels && !outOfTime() && !breaker.tripped) {
      const limit = Math.min(batchSize, maxModels - report.claimed);
      const now = clock();
      const batch = await withServiceTransaction((tx) =>
        claimDueRuns(tx, {
          now,
          limit,
          leaseSeconds: SYNC_LEASE_SECONDS,
          creationHoldSeconds: CREATION_LEASE_SECONDS,
        })
      );
      report.batches++;
      report.claimed += batch.length;

      const withoutJob = batch.filter((run) => run.provider_job_id === null);
      await handBackCreations(resumer.take(withoutJob), now);

      const counts = await advanceRunsWithJobs(batch.filter((run) => run.provider_job_id !== null), {
        clock,
        concurrency: options.concurrency ?? SYNC_PROVIDER_CONCURRENCY,
        shouldStop: outOfTime,
        breaker,
      });
      for (const key of Object.keys(counts) as (keyof BatchCounts)[]) report[key] += counts[key];
      if (batch.length < limit) break;
    }
    // Jobs that finished above freed their slots: the queue's heads start now, in order.
    report.queue = await startQueuedRuns({ shouldStop: outOfTime });
    report.leftAtProviders = await retryLeftovers();
  } finally {
    await resumer.settled();
    report.resumed += resumer.counts.resumed;
    report.failed += resumer.counts.failed;
    report.errors += resumer.counts.errors;
    // Last: what the runs above spent (and the hosting's minutes) counts today, and no alert ever holds a run back.
    report.hosting = await recordHostingSpend();
    report.spendAlerts = await checkSpendAlerts();
    report.durationMs = Date.now() - started;
  }
  if (breaker.tripped) log.warn("training sync stopped early: the provider keeps failing", { ...report });
  log.info("training sync run", { ...report });
  return report;
}
