import { z } from "zod";
import type { FieldIssue } from "../errors.ts";

/**
 * Required text that Postgres can store: trimmed, non-empty, at most `max` characters, without
 * the NUL character or a lone surrogate (text and jsonb refuse them, which would otherwise fail
 * only after the work is done).
 */
export function storableText(max: number) {
  return z.string().trim().min(1, { message: "Required" }).max(max)
    .superRefine((text, ctx) => {
      const problem = unstorableTextProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/**
 * The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair:
 * half an emoji is a lone surrogate, which Postgres refuses.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Issues listed at most: one hostile body must not make a huge error answer. */
const MAX_ISSUES = 10;

interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string | number | null;
}

const pathOf = (visit: Visit): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
};

/**
 * Where a request's JSON holds text Postgres cannot store: the NUL character (text and jsonb
 * refuse it) or a lone UTF-16 surrogate (no Unicode character; jsonb refuses its escape). Found
 * here, before any work, every endpoint answers them as a validation error instead of a 500 from
 * the database. Iterative, and a path is built only for an issue: linear in the value's size.
 */
export function unstorableTextIssues(value: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const pending: Visit[] = [{ value, parent: null, key: null }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === "string") {
      const problem = unstorableTextProblem(current);
      if (problem) issues.push({ path: pathOf(visit), message: problem });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], parent: visit, key: i });
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current).reverse()) {
        const child = { value: item, parent: visit, key };
        const problem = unstorableTextProblem(key);
        if (problem) issues.push({ path: pathOf(child), message: `Its name: ${problem}` });
        pending.push(child);
      }
    }
  }
  return issues.slice(0, MAX_ISSUES);
}

/** Why Postgres cannot store this text (NUL, a lone surrogate), or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes("\u0000")) return "Must not contain the NUL character";
  if (!text.isWellFormed()) return "Must be valid Unicode (it holds a lone surrogate)";
  return null;
}
