import { askForJson, type TeacherRequest } from "../llm/teacher.ts";
import { openAIConfigured } from "./openai/client.ts";
import { openAITeacher } from "./openai/teacher.ts";

/** The teacher model of this deployment: which provider writes style guides and training data. */

/** True when a teacher model is configured: without one, personas use their fallback texts. */
export function teacherAvailable(): boolean {
  return openAIConfigured();
}

/** Asks this deployment's teacher model for JSON of a given shape (see `askForJson`). */
export function askTeacherForJson<T>(request: TeacherRequest<T>): Promise<T> {
  return askForJson(openAITeacher, request);
}
