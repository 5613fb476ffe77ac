import { useCallback, useEffect, useRef, useState } from "react";
import type { Model, ModelType } from "../../../sdk/index.ts";
import { api } from "../services.ts";

export interface ModelFilter {
  type?: ModelType;
  bookId?: string;
  /** Only the reader's own models. */
  mine?: boolean;
  /** Load nothing (yet): the screen does not need the list. */
  skip?: boolean;
}

const PAGE_SIZE = 12;

/** Your models and the public ones, filtered, a page at a time. */
export function useModels(filter: ModelFilter) {
  const [models, setModels] = useState<Model[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(!filter.skip);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    if (filter.skip) return;
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.listModels({ type: filter.type, bookId: filter.bookId, owner: filter.mine ? "me" : undefined, limit: PAGE_SIZE });
      if (mine !== generation.current) return;
      setModels(page.models);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      if (mine === generation.current) setError(failure as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [filter.type, filter.bookId, filter.mine, filter.skip]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const page = await api.listModels({ type: filter.type, bookId: filter.bookId, owner: filter.mine ? "me" : undefined, limit: PAGE_SIZE, cursor: nextCursor });
      if (mine !== generation.current) return;
      setModels((shown) => [...shown, ...page.models.filter((model) => !shown.some((known) => known.id === model.id))]);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setLoadingMore(false);
    }
  }, [filter.type, filter.bookId, filter.mine, nextCursor]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { models, nextCursor, loading, loadingMore, error, reload, loadMore };
}
