import { useCallback, useEffect, useRef, useState } from "react";
import { type CastBatch, type CreateCastInput, StoryvoiceError } from "../../../sdk/index.ts";
import { api } from "../services.ts";
import { isTraining } from "./useModelStatus.ts";

const POLL_MS = 4_000;

/** A book's whole cast: created at once, then followed while its members train. */
export function useCast() {
  const [batch, setBatch] = useState<CastBatch | null>(null);
  const [creating, setCreating] = useState(false);
  const [failure, setFailure] = useState<StoryvoiceError | Error | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const follow = useCallback((current: CastBatch) => {
    clearTimeout(timer.current);
    if (!current.members.some((member) => member.model && isTraining(member.model.status))) return;
    timer.current = setTimeout(async () => {
      try {
        const { batch: next } = await api.getCast(current.id);
        setBatch(next);
        follow(next);
      } catch {
        follow(current);
      }
    }, POLL_MS);
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);

  const create = useCallback(async (input: CreateCastInput) => {
    setCreating(true);
    setFailure(null);
    try {
      const { batch: created } = await api.createCast(input);
      setBatch(created);
      follow(created);
    } catch (error) {
      setFailure(error instanceof Error ? error : new Error("Something went wrong. Please try again."));
    } finally {
      setCreating(false);
    }
  }, [follow]);

  return { batch, creating, failure, create };
}
