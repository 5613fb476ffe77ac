import { useCallback, useEffect, useState } from "react";
import type { Memory, PinMemoryInput } from "../../../sdk/index.ts";
import { api } from "../services.ts";

/** The reader's pinned memories of one persona: list, pin (typed or from a reply), edit, delete. */
export function useMemories(modelId: string) {
  const [memories, setMemories] = useState<Memory[]>([]);
  const [maxChars, setMaxChars] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await api.listMemories(modelId);
      setMemories(list.memories);
      setMaxChars(list.limits.maxChars);
    } catch (caught) {
      setError(`Could not load memories: ${(caught as Error).message}`);
    }
  }, [modelId]);
  useEffect(() => void load(), [load]);

  /** Runs a change and says why it failed, keeping the list as the server has it. */
  const attempt = useCallback(async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
      return true;
    } catch (caught) {
      setError((caught as Error).message);
      return false;
    }
  }, []);

  const pin = useCallback((input: PinMemoryInput) =>
    attempt(async () => {
      const memory = await api.pinMemory(modelId, input);
      setMemories((shown) => [memory, ...shown]);
    }), [attempt, modelId]);
  const edit = useCallback((memoryId: string, text: string) =>
    attempt(async () => {
      const memory = await api.editMemory(modelId, memoryId, text);
      setMemories((shown) => [memory, ...shown.filter((item) => item.id !== memoryId)]);
    }), [attempt, modelId]);
  const remove = useCallback((memoryId: string) =>
    attempt(async () => {
      await api.deleteMemory(modelId, memoryId);
      setMemories((shown) => shown.filter((item) => item.id !== memoryId));
    }), [attempt, modelId]);

  return { memories, maxChars, error, pin, edit, remove, reload: load };
}
