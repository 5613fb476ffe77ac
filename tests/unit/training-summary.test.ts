import { describe, expect, it } from "vitest";
import type { ModelStatus } from "../../sdk/index.ts";
import { trainingSummary } from "../../app/src/training-summary.ts";

const status = (change: {
  status: ModelStatus["status"];
  chatMode: "fine-tuned" | "persona";
  progress?: Record<string, unknown> | null;
  queue?: ModelStatus["queue"];
}): ModelStatus => ({
  status: change.status,
  ready: false,
  model: { entity_name: "Isla", chat_mode: change.chatMode, error: null } as ModelStatus["model"],
  progress: change.progress ?? null,
  queue: change.queue ?? null,
  trainingNotice: null,
});

describe("what the training banner says", () => {
  it("a trained model waiting to retrain is still trained, and its replies come from it", () => {
    const summary = trainingSummary(status({
      status: "pending",
      chatMode: "fine-tuned",
      queue: { position: 4, estimatedStartAt: "2026-12-07T10:30:00Z" } as ModelStatus["queue"],
    }));
    expect(summary.title).toBe("Trained · a new version is waiting to train (4th in line)");
    expect(summary.detail).toContain("replies come from Isla's current fine-tuned model");
    expect(summary.detail).not.toContain("general AI");
    expect(summary.eta).toMatch(/^expected to start around /);
  });

  it("shows the provider's progress whenever it reports one, even before the run is marked training", () => {
    const summary = trainingSummary(status({ status: "pending", chatMode: "persona", progress: { percent: 42.4, providerStatus: "running" } }));
    expect(summary.title).toBe("Training · 42%");
    expect(summary.percent).toBe(42);
    expect(summary.detail).toContain("a general AI plays the part");
  });

  it("a retrain in progress says so with its percent and finish", () => {
    const summary = trainingSummary(status({
      status: "training",
      chatMode: "fine-tuned",
      progress: { percent: 70, estimatedFinish: "2026-12-07T11:00:00Z" },
    }));
    expect(summary.title).toBe("Trained · a new version is training · 70%");
    expect(summary.eta).toMatch(/^expected to finish around /);
  });

  it("a first training and a failed retrain tell the truth about who answers", () => {
    expect(trainingSummary(status({ status: "pending", chatMode: "persona" })).title).toBe("Getting ready");
    expect(trainingSummary(status({ status: "failed", chatMode: "fine-tuned" })).detail)
      .toContain("Replies still come from Isla's earlier fine-tuned model");
  });
});
