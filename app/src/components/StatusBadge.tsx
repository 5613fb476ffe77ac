import type { Model } from "../../../sdk/index.ts";

const LABELS: Record<Model["status"], string> = {
  pending: "Preparing",
  training: "Training",
  completed: "Trained",
  failed: "Training failed",
  ready: "Persona mode",
};

/**
 * A model's state in a word. A model whose fine-tune stays live while a new version trains (or
 * after a retrain failed) is still "Trained": that is what answers.
 */
export function StatusBadge({ status, chatMode }: { status: Model["status"]; chatMode?: Model["chat_mode"] }) {
  if (chatMode === "fine-tuned" && status !== "completed") {
    const update = status === "failed" ? "update failed" : "updating";
    return <span className="badge badge-completed">Trained · {update}</span>;
  }
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
