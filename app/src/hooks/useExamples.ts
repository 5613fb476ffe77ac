import { useCallback, useEffect, useState } from "react";
import { StoryvoiceError, type TrainingExample } from "../../../sdk/index.ts";
import { api } from "../services.ts";
import { trainingSummary } from "../training-summary.ts";

export type ExampleMessage = TrainingExample["messages"][number];
export interface ExampleDraft {
  topic: string | null;
  messages: ExampleMessage[];
}

/** What the API said, one line per issue (a JSONL import names each bad line). */
function problemsOf(error: unknown): string[] {
  if (error instanceof StoryvoiceError) {
    const issues = error.fieldIssues.map((issue) => issue.message);
    return issues.length > 0 ? issues : [error.message];
  }
  return ["Something went wrong. Please try again."];
}

/**
 * An own model's training examples, to shape before a retrain: list, add, edit, delete, import
 * JSONL, take the up-rated replies, and start the retrain.
 */
export function useExamples(modelId: string) {
  const [examples, setExamples] = useState<TrainingExample[]>([]);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setExamples((await api.listExamples(modelId)).examples);
      setProblems([]);
    } catch (error) {
      setProblems(problemsOf(error));
    } finally {
      setLoading(false);
    }
  }, [modelId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  /** Runs one change, says what it did, and reads the list again; false when refused. */
  const change = useCallback(async (work: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setProblems([]);
    setNotice(null);
    try {
      setNotice(await work());
      await reload();
      return true;
    } catch (error) {
      setProblems(problemsOf(error));
      return false;
    } finally {
      setBusy(false);
    }
  }, [reload]);

  const add = (draft: ExampleDraft) =>
    change(async () => {
      await api.addExamples(modelId, { topic: draft.topic, messages: draft.messages });
      return "Example added.";
    });
  const edit = (exampleId: string, draft: ExampleDraft) =>
    change(async () => {
      await api.editExample(modelId, exampleId, { topic: draft.topic, messages: draft.messages });
      return "Example saved.";
    });
  const remove = (exampleId: string) =>
    change(async () => {
      await api.deleteExample(modelId, exampleId);
      return "Example deleted.";
    });
  const importFile = (file: File) =>
    change(async () => {
      const { examples: added } = await api.addExamples(modelId, { jsonl: await file.text() });
      return `Imported ${added.length} example${added.length === 1 ? "" : "s"}.`;
    });
  const takeRatedReplies = () =>
    change(async () => {
      const { examples: added } = await api.addExamples(modelId, { fromRatedChats: true });
      return added.length === 0 ? "No new up-rated replies to add." : `Added ${added.length} up-rated repl${added.length === 1 ? "y" : "ies"}.`;
    });
  const retrain = () =>
    change(async () => {
      const started = await api.retrain(modelId);
      // The chat banner's own estimate (its place in line, the provider's finish), so the two agree;
      // the typical duration only while neither is known yet.
      const eta = await api.getStatus(modelId).then((status) => trainingSummary(status).eta, () => null);
      return `Retraining started: ${eta ?? `usually ${started.estimatedTime}`}. Chat keeps the current version until the new one is ready.`;
    });

  return { examples, loading, busy, problems, notice, add, edit, remove, importFile, takeRatedReplies, retrain };
}
