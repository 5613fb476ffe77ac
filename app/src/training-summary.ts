import type { ModelStatus } from "../../sdk/index.ts";
import { clockTime } from "./format.ts";

/** What the banner (and the retrain notice) says about a model's training. */
export interface TrainingSummary {
  title: string;
  detail: string;
  /** The provider's reported progress (0-100) while a job runs; null when it reports none. */
  percent: number | null;
  /** When the training should start or finish, said the same way wherever it is shown. */
  eta: string | null;
}

const ordinal = (n: number) => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
};

interface Progress {
  percent?: number | null;
  estimatedFinish?: string | number | null;
  providerStatus?: string;
}

/**
 * One reading of a status for every place that shows it. A model that already has a live
 * fine-tune (`chat_mode` fine-tuned) and is training again says so: its replies still come from
 * the trained model, not from a general AI.
 */
export function trainingSummary(status: ModelStatus): TrainingSummary {
  const progress = status.progress as Progress | null;
  const training = status.status === "pending" || status.status === "training";
  // Whatever the run's state, a percent the provider reported is shown while it trains.
  const percent = training && typeof progress?.percent === "number" ? Math.round(progress.percent) : null;
  const finish = progress?.estimatedFinish
    ? new Date(typeof progress.estimatedFinish === "number" ? progress.estimatedFinish * 1000 : progress.estimatedFinish)
    : null;
  const name = status.model.entity_name;
  const retraining = training && status.model.chat_mode === "fine-tuned";
  const meanwhile = retraining
    ? `Until then, replies come from ${name}'s current fine-tuned model.`
    : "Until then, a general AI plays the part.";
  // The deployment's training provider refused its account: said plainly. What to set is the
  // operator's business (`advice`: npm run dev, the sync report), not a reader's.
  const notice = status.trainingNotice && (status.status === "pending" || status.status === "ready")
    ? status.trainingNotice.reason
    : null;

  if (training && status.queue) {
    // Waiting for one of the provider's training slots (the owner only sees this).
    const eta = `expected to start around ${clockTime(status.queue.estimatedStartAt)}`;
    return {
      title: retraining
        ? `Trained · a new version is waiting to train (${ordinal(status.queue.position)} in line)`
        : `Waiting to train · ${ordinal(status.queue.position)} in line`,
      detail: `${capitalized(eta)}. ${meanwhile}`,
      percent: null,
      eta,
    };
  }
  if (status.status === "training" || percent !== null) {
    const eta = finish ? `expected to finish around ${clockTime(finish)}` : null;
    const amount = percent !== null ? ` · ${percent}%` : "";
    return {
      title: retraining ? `Trained · a new version is training${amount}` : `Training${amount}`,
      detail: `${eta ? `${capitalized(eta)}. ` : ""}${meanwhile}`,
      percent,
      eta,
    };
  }
  switch (status.status) {
    case "pending":
      return {
        title: retraining ? "Trained · a new version is being prepared" : "Getting ready",
        detail: retraining
          ? `${notice ? `${notice} ` : ""}${meanwhile}`
          : `${notice ? `${notice} ` : ""}${name} is being prepared for training. ${meanwhile}`,
        percent: null,
        eta: null,
      };
    case "completed":
      return { title: "Trained", detail: `Replies now come from ${name}'s own fine-tuned model.`, percent: null, eta: null };
    case "failed":
      return {
        title: "Training failed",
        detail: status.model.chat_mode === "fine-tuned"
          ? `${status.model.error ?? "The new version did not finish."} Replies still come from ${name}'s earlier fine-tuned model.`
          : `${status.model.error ?? "The training job did not finish."} Chat still works with a general AI.`,
        percent: null,
        eta: null,
      };
    default: {
      const why = notice ?? status.model.error ?? "";
      return { title: "Persona mode", detail: `${why}${why ? " " : ""}A general AI plays ${name} from its style guide.`, percent: null, eta: null };
    }
  }
}

const capitalized = (text: string) => text.slice(0, 1).toUpperCase() + text.slice(1);
