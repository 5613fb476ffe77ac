import { useCallback, useEffect, useRef, useState } from "react";
import type { ModelStatus } from "../../../sdk/index.ts";
import { api } from "../services.ts";

const FIRST_POLL_MS = 2_000;
const LONGEST_POLL_MS = 15_000;

/** Whether a model is still on its way to its final mode (worth polling). */
export const isTraining = (status: ModelStatus["status"]) => status === "pending" || status === "training";

/**
 * A model's status, polled while it trains (backing off from 2 s to 15 s) and not once it is done.
 */
export function useModelStatus(modelId: string) {
  const [status, setStatus] = useState<ModelStatus | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const poll = useCallback(async (delay: number, signal: AbortSignal) => {
    try {
      const next = await api.getStatus(modelId, signal);
      if (signal.aborted) return;
      setStatus(next);
      setError(null);
      if (isTraining(next.status)) {
        timer.current = setTimeout(() => void poll(Math.min(delay * 1.5, LONGEST_POLL_MS), signal), delay);
      }
    } catch (failure) {
      if (signal.aborted) return;
      setError(failure as Error);
      timer.current = setTimeout(() => void poll(Math.min(delay * 2, LONGEST_POLL_MS), signal), delay);
    }
  }, [modelId]);

  const controller = useRef<AbortController | null>(null);
  const restart = useCallback(() => {
    controller.current?.abort();
    clearTimeout(timer.current);
    controller.current = new AbortController();
    void poll(FIRST_POLL_MS, controller.current.signal);
  }, [poll]);

  useEffect(() => {
    restart();
    return () => {
      controller.current?.abort();
      clearTimeout(timer.current);
    };
  }, [restart]);

  return { status, error, refresh: restart, setModel: (model: ModelStatus["model"]) => setStatus((s) => s && { ...s, model }) };
}
