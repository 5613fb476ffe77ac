import { useCallback, useEffect, useState } from "react";
import type { UsageAnalytics } from "../../../sdk/index.ts";
import { api } from "../services.ts";

/** The deployment's analytics, for admins (the API answers 403 to anyone else). */
export function useAnalytics() {
  const [analytics, setAnalytics] = useState<UsageAnalytics | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);

  const reload = useCallback(async (signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      const next = await api.getAnalytics(signal);
      if (!signal?.aborted) setAnalytics(next);
    } catch (failure) {
      if (!signal?.aborted) setError(failure as Error);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload]);

  return { analytics, loading, error, reload: () => reload() };
}
