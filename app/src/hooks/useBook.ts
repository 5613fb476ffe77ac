import { useCallback, useEffect, useRef, useState } from "react";
import { type BookDetail, StoryvoiceError } from "../../../sdk/index.ts";
import { api } from "../services.ts";

export type ReaderPlace = { chapter: number; percent: number | null };

/** True when `next` is further into the book than `reached` (a place only ever moves on). */
export function isFurther(next: ReaderPlace, reached: ReaderPlace | null): boolean {
  if (!reached) return true;
  if (next.chapter !== reached.chapter) return next.chapter > reached.chapter;
  if (reached.percent === null) return false;
  return next.percent === null || next.percent > reached.percent;
}

const SAVE_AFTER_MS = 800;

/**
 * A book as the reader may read it (GET /fine-tune-book): its chapters, the open chapter's text,
 * and the reader's place, saved (debounced) whenever they move further on.
 */
export function useBook(bookId: string, initialChapter?: number) {
  const [detail, setDetail] = useState<BookDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [chapter, setChapter] = useState<number | undefined>(initialChapter);
  const [reached, setReached] = useState<ReaderPlace | null>(null);
  const [saved, setSaved] = useState<"saving" | "saved" | "failed" | null>(null);
  const pending = useRef<{ timer?: ReturnType<typeof setTimeout>; place?: ReaderPlace }>({});

  const load = useCallback(async (wanted?: number, signal?: AbortSignal) => {
    setLoading(true);
    setError(null);
    try {
      // The first load learns the reader's place, then opens that chapter.
      let next = await api.getBook(bookId, wanted, signal);
      if (wanted === undefined) {
        const start = next.progress ? Math.min(next.progress.chapter, next.book.chapters.length) : 1;
        next = await api.getBook(bookId, Math.max(1, start), signal);
      }
      if (signal?.aborted) return;
      setDetail(next);
      setMissing(false);
      setChapter(next.chapter?.index);
      if (next.progress) setReached((current) => current ?? { chapter: next.progress!.chapter, percent: next.progress!.percent });
    } catch (failure) {
      if (signal?.aborted) return;
      if (failure instanceof StoryvoiceError && failure.status === 404 && wanted === undefined) setMissing(true);
      else setError((failure as Error).message);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, [bookId]);

  useEffect(() => {
    const controller = new AbortController();
    void load(initialChapter, controller.signal);
    return () => controller.abort();
    // Only the book decides the first load; opening chapters goes through openChapter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);

  const saving = useRef<Promise<void>>(Promise.resolve());
  const flush = useCallback(async () => {
    const place = pending.current.place;
    pending.current = {};
    if (!place) return await saving.current;
    setSaved("saving");
    // One save after another, so an earlier place never lands after a later one.
    const request = saving.current
      .then(() => api.setReadingProgress(bookId, place.percent === null ? { chapter: place.chapter } : { chapter: place.chapter, percent: place.percent }))
      .then(() => setSaved("saved"), () => setSaved("failed"));
    saving.current = request;
    await request;
  }, [bookId]);

  useEffect(() => () => {
    if (pending.current.timer) clearTimeout(pending.current.timer);
    void flush();
  }, [flush]);

  /** The reader is at `place`: saved shortly when it is further than they had reached. */
  const moveTo = useCallback((place: ReaderPlace) => {
    setReached((current) => {
      if (!isFurther(place, current)) return current;
      pending.current.place = place;
      if (pending.current.timer) clearTimeout(pending.current.timer);
      pending.current.timer = setTimeout(() => void flush(), SAVE_AFTER_MS);
      return place;
    });
  }, [flush]);

  /** Saves a place still waiting for its debounce now (before a chat message, which reads it). */
  const saveNow = useCallback(async () => {
    if (pending.current.timer) clearTimeout(pending.current.timer);
    await flush();
  }, [flush]);

  const openChapter = useCallback(async (index: number) => {
    await load(index);
  }, [load]);

  return { detail, missing, error, loading, chapter, reached, saved, moveTo, saveNow, openChapter, reload: () => load(chapter) };
}
