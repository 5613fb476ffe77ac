import type OpenAI from "openai";
import { z } from "zod";
import type { TeacherAnswer, TeacherCall, TeacherClient } from "../../llm/teacher.ts";
import { estimateUsage, reportedUsage, usageFromReport } from "../../llm/usage.ts";
import { openAIRulesFor, parametersFor } from "./model-rules.ts";
import { openAI } from "./client.ts";
import { toProviderError } from "./errors.ts";

/** Structured training data is worth a little thought, not much: it is asked for many times. */
const TEACHER_REASONING_EFFORT = "low";

// Only the fields we use; anything else in the body is the provider's business.
const completionSchema = z.object({
  choices: z.array(z.object({
    finish_reason: z.string().nullish(),
    message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
  })).min(1),
  usage: reportedUsage.nullish(),
});

/**
 * The teacher on OpenAI's chat completions (the chosen teacher model, a strict `json_schema` response
 * format). A body that is not a completion, a refusal, an answer cut off at the token limit or an
 * empty one is a problem worth another attempt; HTTP failures become `ProviderError`s through the
 * shared mapper.
 */
export const openAITeacher: TeacherClient = {
  async completeJson(request: TeacherCall): Promise<TeacherAnswer> {
    let body: unknown;
    // The teacher writes at the provider's default temperature; a reasoning family thinks a little.
    const rules = request.rules ?? openAIRulesFor(request.model);
    try {
      // Loaded with the SDK, on first use: only model creation asks the teacher.
      const { zodResponseFormat } = await import("openai/helpers/zod");
      body = await (await openAI()).chat.completions.create({
        model: request.model,
        messages: request.messages,
        response_format: zodResponseFormat(request.responseSchema, request.schemaName),
        ...parametersFor({ ...rules, tokenParameter: "max_completion_tokens" }, {
          model: request.model,
          maxTokens: request.maxCompletionTokens,
          reasoningEffort: TEACHER_REASONING_EFFORT,
        }),
      } satisfies OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    } catch (error) {
      // The SDK could not read the body (a JSON content type with broken JSON): a malformed answer.
      if (error instanceof SyntaxError) return { problem: "the response body was not valid JSON" };
      throw toProviderError(error, { action: "Asking the teacher model" });
    }
    const completion = completionSchema.safeParse(body);
    if (!completion.success) return { problem: "the response was not a chat completion" };
    const choice = completion.data.choices[0];
    const usage = usageFromReport(completion.data.usage, estimateUsage(request.messages, choice.message.content ?? ""));
    if (choice.message.refusal) return { problem: "the model refused", usage };
    if (choice.finish_reason === "length") return { problem: "the answer was cut off at the token limit", usage };
    if (!choice.message.content) return { problem: "the answer was empty", usage };
    return { content: choice.message.content, usage };
  },
};
