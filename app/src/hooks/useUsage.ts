import { useCallback, useEffect, useRef, useState } from "react";
import type { Usage } from "../../../sdk/index.ts";
import { api } from "../services.ts";

/** The signed-in reader's usage against their plan (GET /fine-tune-usage), loaded on mount and on `refresh`. */
export function useUsage() {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const controller = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const next = await api.getUsage({}, current.signal);
      if (current.signal.aborted) return;
      setUsage(next);
      setError(null);
    } catch (failure) {
      if (!current.signal.aborted) setError(failure as Error);
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return () => controller.current?.abort();
  }, [refresh]);

  return { usage, error, loading, refresh };
}
