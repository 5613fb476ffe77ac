import { z } from "zod";
import type { TeacherAnswer, TeacherCall, TeacherClient } from "../../llm/teacher.ts";
import { estimateUsage, reportedUsage, usageFromReport } from "../../llm/usage.ts";
import { compatibleClient } from "./client.ts";
import { compatibleFailure } from "./errors.ts";

const completionSchema = z.object({
  choices: z.array(z.object({
    finish_reason: z.string().nullish(),
    message: z.object({ content: z.string().nullish() }),
  })).min(1),
  usage: reportedUsage.nullish(),
});

/**
 * Cohere's Compatibility API documents structured output as `response_format: { type:
 * "json_object", schema }` (docs.cohere.com/docs/compatibility-api, "Structured outputs"), not
 * OpenAI's `json_schema`; JSON mode is what every compatible server takes. The schema also goes
 * in the prompt, for servers that keep JSON mode but ignore `schema`; zod checks every answer.
 */
async function jsonRequest(request: TeacherCall) {
  const { zodResponseFormat } = await import("openai/helpers/zod");
  const schema = zodResponseFormat(request.responseSchema, request.schemaName).json_schema.schema;
  const instruction = `Answer with one JSON object only, valid against this JSON Schema:\n${JSON.stringify(schema)}`;
  // One system turn, first (Cohere refuses a system turn anywhere else).
  const [first, ...rest] = request.messages;
  const messages = first?.role === "system"
    ? [{ ...first, content: `${first.content}\n\n${instruction}` }, ...rest]
    : [{ role: "system" as const, content: instruction }, ...request.messages];
  return {
    model: request.model,
    messages,
    max_tokens: request.maxCompletionTokens,
    // Cohere's field, outside the SDK's type (which knows only `{ type: "json_object" }`).
    response_format: { type: "json_object" as const, schema } as { type: "json_object" },
  };
}

/** The teacher on a compatible endpoint: one JSON completion; an unusable one is a problem to retry. */
export const compatibleTeacher: TeacherClient = {
  async completeJson(request: TeacherCall): Promise<TeacherAnswer> {
    let body: unknown;
    try {
      body = await (await compatibleClient()).chat.completions.create(await jsonRequest(request));
    } catch (error) {
      if (error instanceof SyntaxError) return { problem: "the response body was not valid JSON" };
      throw compatibleFailure(error, "Asking the teacher model");
    }
    const completion = completionSchema.safeParse(body);
    if (!completion.success) return { problem: "the response was not a chat completion" };
    const [choice] = completion.data.choices;
    const content = choice.message.content ?? "";
    const usage = usageFromReport(completion.data.usage, estimateUsage(request.messages, content));
    if (choice.finish_reason === "length") return { problem: "the answer was cut off at the token limit", usage };
    return content ? { content, usage } : { problem: "the answer was empty", usage };
  },
};
