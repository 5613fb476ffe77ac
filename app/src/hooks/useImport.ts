import { useCallback, useRef, useState } from "react";
import { StoryvoiceError } from "../../../sdk/index.ts";

/** A file refused before it is sent (too large, not JSON): its message is shown as is. */
export class ImportRefused extends Error {}

/** What a refused import says: the API's issues one a line (or its message), else `unreadable`. */
function importProblems(error: unknown, unreadable: string): string[] {
  if (error instanceof ImportRefused) return [error.message];
  if (error instanceof StoryvoiceError) {
    const issues = error.fieldIssues.map((issue) => issue.message);
    return issues.length > 0 ? issues : [error.message];
  }
  return [unreadable];
}

/**
 * A file import's state: `importing` while `run` works, and the lines saying why it was refused.
 * `start` answers what `run` did, or undefined when refused; `handled` may take a refusal itself
 * (answer true) instead of listing it.
 */
export function useImport<Args extends unknown[], T>(
  run: (...args: Args) => Promise<T>,
  options: { unreadable: string; handled?: (error: unknown) => boolean },
) {
  const [importing, setImporting] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  // The latest callbacks, so `start` keeps one identity across renders.
  const latest = useRef({ run, options });
  latest.current = { run, options };

  const start = useCallback(async (...args: Args): Promise<T | undefined> => {
    setProblems([]);
    setImporting(true);
    try {
      return await latest.current.run(...args);
    } catch (error) {
      const { handled, unreadable } = latest.current.options;
      if (!handled?.(error)) setProblems(importProblems(error, unreadable));
      return undefined;
    } finally {
      setImporting(false);
    }
  }, []);

  return { importing, problems, start };
}
