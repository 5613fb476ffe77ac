import { z } from "zod";
import { env } from "../../env.ts";
import type { TeacherAnswer, TeacherClient, TeacherCompletion } from "../../llm/teacher.ts";
import { openAI } from "./client.ts";
import { toProviderError } from "./errors.ts";

// Only the fields we use; anything else in the body is the provider's business.
const completionSchema = z.object({
  choices: z.array(z.object({
    finish_reason: z.string().nullish(),
    message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
  })).min(1),
});

/**
 * The teacher on OpenAI's chat completions (`TEACHER_MODEL`, a strict `json_schema` response
 * format). A body that is not a completion, a refusal, an answer cut off at the token limit or an
 * empty one is a problem worth another attempt; HTTP failures become `ProviderError`s through the
 * shared mapper.
 */
export const openAITeacher: TeacherClient = {
  async completeJson(request: TeacherCompletion): Promise<TeacherAnswer> {
    let body: unknown;
    try {
      // Loaded with the SDK, on first use: only model creation asks the teacher.
      const { zodResponseFormat } = await import("openai/helpers/zod");
      body = await (await openAI()).chat.completions.create({
        model: env().TEACHER_MODEL,
        messages: request.messages,
        response_format: zodResponseFormat(request.responseSchema, request.schemaName),
        max_completion_tokens: request.maxCompletionTokens,
      });
    } catch (error) {
      // The SDK could not read the body (a JSON content type with broken JSON): a malformed answer.
      if (error instanceof SyntaxError) return { problem: "the response body was not valid JSON" };
      throw toProviderError(error, { action: "Asking the teacher model" });
    }
    const completion = completionSchema.safeParse(body);
    if (!completion.success) return { problem: "the response was not a chat completion" };
    const choice = completion.data.choices[0];
    if (choice.message.refusal) return { problem: "the model refused" };
    if (choice.finish_reason === "length") return { problem: "the answer was cut off at the token limit" };
    if (!choice.message.content) return { problem: "the answer was empty" };
    return { content: choice.message.content };
  },
};
