/** `/v1/files`: upload (with OpenAI's fine-tuning format checks), retrieve, content, delete. */
import { http, HttpResponse } from "msw";
import type OpenAI from "openai";
import { errorResponse, jsonResponse, randomId } from "./responses.ts";
import { type SimFile, type SimState, toUnixSeconds } from "./state.ts";

const FILE_PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];
const MESSAGE_ROLES = ["system", "developer", "user", "assistant", "tool"];

/** The `file` object as the API returns it. */
export function fileObject(file: SimFile): OpenAI.FileObject {
  return {
    object: "file",
    id: file.id,
    purpose: file.purpose as OpenAI.FileObject["purpose"],
    filename: file.filename,
    bytes: file.bytes,
    created_at: file.created_at,
    status: "processed",
  };
}

/** One parsed chat-format training example. */
export interface TrainingExample {
  messages: Array<{ role: string; content: unknown }>;
}

/**
 * Checks chat-format fine-tuning JSONL the way OpenAI's upload does; answers the problem with its
 * line number, or the parsed examples.
 */
export function parseTrainingJsonl(content: string): { examples: TrainingExample[] } | { problem: string } {
  const examples: TrainingExample[] = [];
  const lines = content.split("\n");
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === "") continue; // a trailing newline is fine
    const where = `Line ${index + 1}`;
    let example: unknown;
    try {
      example = JSON.parse(line);
    } catch {
      return { problem: `${where} is not valid JSON.` };
    }
    const messages = (example as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return { problem: `${where} is missing a non-empty "messages" list.` };
    }
    for (const message of messages) {
      const { role, content: text } = (message ?? {}) as { role?: unknown; content?: unknown };
      if (typeof role !== "string" || !MESSAGE_ROLES.includes(role)) {
        return { problem: `${where} has a message with an invalid role.` };
      }
      if (text === undefined) return { problem: `${where} has a message without "content".` };
    }
    if (!messages.some((message) => message.role === "assistant")) {
      return { problem: `${where} has no assistant message to learn from.` };
    }
    examples.push({ messages });
  }
  if (examples.length === 0) return { problem: "The file contains no training examples." };
  return { examples };
}

/** Handlers for the files endpoints. */
export function fileHandlers(state: SimState) {
  return [
    http.post("*/v1/files", async ({ request }) => {
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return errorResponse(400, "The request must be multipart/form-data with a 'file' and a 'purpose'.");
      }
      const upload = form.get("file");
      const purpose = form.get("purpose");
      if (!(upload instanceof Blob)) {
        return errorResponse(400, "Missing required parameter: 'file'.", {
          param: "file",
          code: "missing_required_parameter",
        });
      }
      if (typeof purpose !== "string" || !FILE_PURPOSES.includes(purpose)) {
        return errorResponse(400, `Invalid value for 'purpose': ${String(purpose)}.`, { param: "purpose" });
      }
      const filename = upload instanceof File ? upload.name : "upload";
      const content = await upload.text();
      if (purpose === "fine-tune") {
        if (!filename.endsWith(".jsonl")) {
          return errorResponse(400, "Invalid file format for Fine-Tuning API. Must be .jsonl", { param: "file" });
        }
        const parsed = parseTrainingJsonl(content);
        if ("problem" in parsed) {
          return errorResponse(400, `Invalid file format for Fine-Tuning API. ${parsed.problem}`, {
            param: "file",
            code: "invalid_file_format",
          });
        }
      }
      const file: SimFile = {
        id: randomId("file-", 22),
        filename,
        purpose,
        bytes: new TextEncoder().encode(content).byteLength,
        content,
        created_at: toUnixSeconds(state.now()),
      };
      state.files.set(file.id, file);
      return jsonResponse(fileObject(file));
    }),

    http.get<{ fileId: string }>("*/v1/files/:fileId", ({ params }) => {
      const file = state.files.get(params.fileId);
      return file ? jsonResponse(fileObject(file)) : noSuchFile(params.fileId);
    }),

    http.get<{ fileId: string }>("*/v1/files/:fileId/content", ({ params }) => {
      const file = state.files.get(params.fileId);
      return file ? HttpResponse.text(file.content) : noSuchFile(params.fileId);
    }),

    http.delete<{ fileId: string }>("*/v1/files/:fileId", ({ params }) => {
      if (!state.files.delete(params.fileId)) return noSuchFile(params.fileId);
      return jsonResponse({ object: "file", id: params.fileId, deleted: true } satisfies OpenAI.FileDeleted);
    }),
  ];
}

function noSuchFile(fileId: string): Response {
  return errorResponse(404, `No such File object: ${fileId}`, { param: "id" });
}
