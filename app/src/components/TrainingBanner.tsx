import type { ModelStatus } from "../../../sdk/index.ts";
import { clockTime } from "../format.ts";

const ordinal = (n: number) => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
};

/** Where the model's training stands, announced as it changes. */
export function TrainingBanner({ status }: { status: ModelStatus }) {
  const progress = status.progress as { percent?: number; estimatedFinish?: string | number | null } | null;
  const percent = typeof progress?.percent === "number" ? Math.round(progress.percent) : null;
  const finish = progress?.estimatedFinish
    ? new Date(typeof progress.estimatedFinish === "number" ? progress.estimatedFinish * 1000 : progress.estimatedFinish)
    : null;
  const name = status.model.entity_name;
  // The deployment's training provider refused its account: said plainly. What to set is the
  // operator's business (`advice`: npm run dev, the sync report), not a reader's.
  const notice = status.trainingNotice && (status.status === "pending" || status.status === "ready")
    ? status.trainingNotice.reason
    : null;
  let title: string;
  let detail: string;
  switch (status.status) {
    case "pending":
      if (status.queue) {
        // Waiting for one of the provider's training slots (the owner only sees this).
        title = `Waiting to train · ${ordinal(status.queue.position)} in line`;
        detail = `Expected to start around ${clockTime(status.queue.estimatedStartAt)}. Until then, a general AI plays the part.`;
      } else {
        title = "Getting ready";
        detail = `${notice ? `${notice} ` : ""}${name} is being prepared for training. Until then, a general AI plays the part.`;
      }
      break;
    case "training":
      title = percent !== null ? `Training · ${percent}%` : "Training";
      detail = `${finish ? `Expected to finish around ${clockTime(finish)}. ` : ""}Until then, a general AI plays the part.`;
      break;
    case "completed":
      title = "Trained";
      detail = `Replies now come from ${name}'s own fine-tuned model.`;
      break;
    case "failed":
      title = "Training failed";
      detail = `${status.model.error ?? "The training job did not finish."} Chat still works with a general AI.`;
      break;
    default:
      title = "Persona mode";
      detail = `${notice ?? status.model.error ?? ""}${notice || status.model.error ? " " : ""}A general AI plays ${name} from its style guide.`;
  }
  return (
    <div className={`training-banner banner-${status.status}`} role="status" aria-live="polite" aria-label="Training status">
      <strong>{title}</strong>
      <span>{detail}</span>
      {status.status === "training" && percent !== null && (
        <progress max={100} value={percent} aria-label="Training progress">{percent}%</progress>
      )}
    </div>
  );
}
