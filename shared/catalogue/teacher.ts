import { env } from "../env.ts";
import { ProviderError } from "../llm/errors.ts";
import { askForJson, type TeacherRequest } from "../llm/teacher.ts";
import { chatProvider } from "../providers/chat-registry.ts";
import { chatProviderConfigured } from "../providers/credentials.ts";
import { teacherModel } from "./model-choice.ts";

/** The teacher model of this deployment: `CHAT_PROVIDER` writes style guides and training data. */

/** True when a teacher model is configured: without one, personas use their fallback texts. */
export function teacherAvailable(): boolean {
  return chatProviderConfigured(env().CHAT_PROVIDER);
}

/**
 * Asks this deployment's teacher model for JSON of a given shape (see `askForJson`), on the model
 * the catalogue says is alive today. With no live teacher model the call fails as `unavailable`
 * before anything is sent.
 */
export async function askTeacherForJson<T>(request: TeacherRequest<T>): Promise<T> {
  const choice = await teacherModel();
  if (!choice) throw new ProviderError("unavailable", "No teacher model is alive at the chat provider.");
  const provider = await chatProvider(choice.provider);
  return await askForJson(provider.teacher, request, { model: choice.model, rules: choice.rules, provider: choice.provider });
}
