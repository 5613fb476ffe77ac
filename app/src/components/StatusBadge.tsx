import type { Model } from "../../../sdk/index.ts";

const LABELS: Record<Model["status"], string> = {
  pending: "Preparing",
  training: "Training",
  completed: "Trained",
  failed: "Training failed",
  ready: "Persona mode",
};

export function StatusBadge({ status }: { status: Model["status"] }) {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
