import { z } from "zod";

/** One failed check of a request, as `details` of a `validation_failed` error lists it. */
export const fieldIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])).describe("Where, as a zod issue path"),
  message: z.string(),
}).meta({ id: "FieldIssue" });

/** The `error` member of every error body. */
export const errorInfoSchema = z.object({
  code: z.string().describe("Stable machine-readable code, e.g. `validation_failed`, `not_found`"),
  message: z.string().describe("For people; never a stack trace or a database message"),
  details: z.unknown().optional().describe("For `validation_failed`: a list of FieldIssue"),
  retryable: z.literal(true).optional().describe("Present when the same request may succeed later"),
}).meta({ id: "ErrorInfo" });

/**
 * The body of every error answer: `{ success: false, error: { code, message, details?, retryable? } }`.
 * The 409 and 429 bodies extend it (the existing model, `resetAt`) beside their endpoints.
 */
export const errorBody = z.object({
  success: z.literal(false),
  error: errorInfoSchema,
}).meta({ id: "Error" });
