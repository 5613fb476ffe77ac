import { z } from "zod";

/**
 * Required text that Postgres can store: trimmed, non-empty, at most `max` characters, and without
 * the NUL character (text columns refuse it, which would otherwise fail only after the work is done).
 */
export function storableText(max: number) {
  return z.string().trim().min(1, { message: "Required" }).max(max)
    .refine((text) => !text.includes("\u0000"), { message: "Must not contain the NUL character" });
}
