/**
 * The parameter rules OpenAI's chat completions enforce, with its error answers: the reasoning
 * families refuse `max_tokens` and refuse `temperature` unless `reasoning_effort` is `none`; the
 * others refuse `reasoning_effort`. A request our code builds wrongly fails here, in tests.
 */
import { acceptedReasoningEfforts, isReasoningFamily } from "./model-list.ts";
import { errorResponse } from "./responses.ts";

/** Every value the API knows (the `openai` package's `ReasoningEffort`); a model takes a subset. */
const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);

/** OpenAI's list in its own words: 'a', 'b', and 'c'. */
function quotedList(values: string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length <= 2 ? quoted.join(" and ") : `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}`;
}

/** The 400 OpenAI answers for a parameter the model does not take, or null when the body is fine. */
export function refuseParameters(model: string, body: Record<string, unknown>): Response | null {
  // Every model: temperature is a number from 0 to 2.
  const temperature = body.temperature;
  if (typeof temperature === "number" && (temperature < 0 || temperature > 2)) {
    const above = temperature > 2;
    return errorResponse(
      400,
      `Invalid 'temperature': decimal ${above ? "above maximum" : "below minimum"} value. ` +
        `Expected a value ${above ? "<= 2" : ">= 0"}, but got ${temperature} instead.`,
      { param: "temperature", code: above ? "decimal_above_max_value" : "decimal_below_min_value" },
    );
  }
  if (isReasoningFamily(model)) {
    if (body.max_tokens !== undefined) {
      return errorResponse(
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        { param: "max_tokens", code: "unsupported_parameter" },
      );
    }
    const effort = body.reasoning_effort;
    if (effort !== undefined && (typeof effort !== "string" || !EFFORTS.has(effort))) {
      return errorResponse(400, `Invalid value for 'reasoning_effort': ${JSON.stringify(effort)}.`, {
        param: "reasoning_effort",
        code: "invalid_value",
      });
    }
    const accepted = acceptedReasoningEfforts(model);
    if (typeof effort === "string" && !accepted.includes(effort)) {
      return errorResponse(
        400,
        `Unsupported value: 'reasoning_effort' does not support '${effort}' with this model. ` +
          `Supported values are: ${quotedList(accepted)}.`,
        { param: "reasoning_effort", code: "unsupported_value" },
      );
    }
    // Without an effort the model reasons (OpenAI's default), which temperature does not go with.
    if (body.temperature !== undefined && effort !== "none") {
      return errorResponse(
        400,
        `Unsupported value: 'temperature' does not support ${JSON.stringify(body.temperature)} with this model. ` +
          "Only the default (1) value is supported unless 'reasoning_effort' is 'none'.",
        { param: "temperature", code: "unsupported_value" },
      );
    }
    return null;
  }
  if (body.reasoning_effort !== undefined) {
    return errorResponse(400, "Unsupported parameter: 'reasoning_effort' is not supported with this model.", {
      param: "reasoning_effort",
      code: "unsupported_parameter",
    });
  }
  return null;
}
