import type { ModelStatus } from "../../../sdk/index.ts";
import { trainingSummary } from "../training-summary.ts";

/** Where the model's training stands, announced as it changes. */
export function TrainingBanner({ status }: { status: ModelStatus }) {
  const { title, detail, percent } = trainingSummary(status);
  const retraining = status.model.chat_mode === "fine-tuned" && (status.status === "pending" || status.status === "training");
  return (
    <div
      className={`training-banner banner-${status.status}${retraining ? " banner-retraining" : ""}`}
      role="status"
      aria-live="polite"
      aria-label="Training status"
    >
      <strong>{title}</strong>
      <span>{detail}</span>
      {percent !== null && <progress max={100} value={percent} aria-label="Training progress">{percent}%</progress>}
    </div>
  );
}
