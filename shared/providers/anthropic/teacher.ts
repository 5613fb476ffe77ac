import { z } from "zod";
import type { TeacherAnswer, TeacherCall, TeacherClient } from "../../llm/teacher.ts";
import { anthropic } from "./client.ts";
import { toProviderError } from "./errors.ts";
import { messagesRequest } from "./messages.ts";

// Only the fields we use.
const messageSchema = z.object({
  stop_reason: z.string().nullish(),
  content: z.array(z.object({ type: z.string(), name: z.string().optional(), input: z.unknown().optional() })),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/**
 * The teacher on Anthropic: the response schema is a tool the model must call (`tool_choice`), so
 * its answer is the tool's input; `askForJson` validates it with zod like any other answer. A body
 * that is not a message, an answer cut off at the token limit, or one without the tool call is a
 * problem worth another attempt.
 */
export const anthropicTeacher: TeacherClient = {
  async completeJson(request: TeacherCall): Promise<TeacherAnswer> {
    let body: unknown;
    try {
      body = await anthropic().messages.create({
        ...messagesRequest({ model: request.model, messages: request.messages, maxTokens: request.maxCompletionTokens }),
        tools: [{
          name: request.schemaName,
          description: `Record the ${request.schemaName} exactly in this shape.`,
          input_schema: z.toJSONSchema(request.responseSchema, { target: "draft-7" }) as { type: "object" },
        }],
        tool_choice: { type: "tool", name: request.schemaName },
      });
    } catch (error) {
      if (error instanceof SyntaxError) return { problem: "the response body was not valid JSON" };
      throw toProviderError(error, "Asking the teacher model");
    }
    const message = messageSchema.safeParse(body);
    if (!message.success) return { problem: "the response was not a message" };
    const reported = message.data.usage;
    const usage = reported ? { inputTokens: reported.input_tokens, outputTokens: reported.output_tokens } : undefined;
    if (message.data.stop_reason === "max_tokens") return { problem: "the answer was cut off at the token limit", usage };
    const call = message.data.content.find((block) => block.type === "tool_use" && block.name === request.schemaName);
    if (!call || call.input === undefined) return { problem: "the answer did not call the tool", usage };
    return { content: JSON.stringify(call.input), usage };
  },
};
