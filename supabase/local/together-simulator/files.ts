/** `/v1/files/upload`: multipart upload of chat JSONL (`{"messages": [...]}` a line), checked as Together does. */
import { http } from "msw";
import type { FileResponse } from "together-ai/resources/files";
import { errorResponse, jsonResponse } from "../openai-simulator/responses.ts";
import type { TogetherSimFile, TogetherSimState } from "./state.ts";

const ROLES = new Set(["system", "user", "assistant"]);

/** The problem with a chat JSONL file, or null when every line is a conversation with an answer. */
export function chatJsonlProblem(content: string): string | null {
  const lines = content.split("\n").filter((line) => line.trim() !== "");
  if (lines.length === 0) return "The file is empty.";
  for (const [index, line] of lines.entries()) {
    let example: { messages?: unknown };
    try {
      example = JSON.parse(line);
    } catch {
      return `Line ${index + 1} is not valid JSON.`;
    }
    const messages = example?.messages;
    if (!Array.isArray(messages) || messages.length === 0) return `Line ${index + 1} has no "messages" list.`;
    for (const message of messages as { role?: unknown; content?: unknown }[]) {
      if (typeof message?.role !== "string" || !ROLES.has(message.role)) return `Line ${index + 1} has an invalid role.`;
      if (typeof message.content !== "string") return `Line ${index + 1} has a message without text content.`;
    }
    if (!messages.some((message) => (message as { role?: unknown }).role === "assistant")) {
      return `Line ${index + 1} has no assistant message.`;
    }
  }
  return null;
}

export function fileObject(file: TogetherSimFile): FileResponse {
  return {
    id: file.id,
    object: "file",
    filename: file.filename,
    bytes: file.bytes,
    purpose: "fine-tune",
    created_at: Math.floor(file.createdAtMs / 1000),
    FileType: "jsonl",
    Processed: true,
  };
}

export function fileHandlers(state: TogetherSimState) {
  return [
    http.post("*/v1/files/upload", async ({ request }) => {
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return errorResponse(400, "Expected a multipart/form-data body.");
      }
      const file = form.get("file");
      if (form.get("purpose") !== "fine-tune") return errorResponse(400, "purpose must be fine-tune.", { param: "purpose" });
      if (!(file instanceof Blob)) return errorResponse(400, "Missing file.", { param: "file" });
      const content = await file.text();
      const problem = chatJsonlProblem(content);
      if (problem) return errorResponse(400, `Invalid training file: ${problem}`, { param: "file" });
      const stored: TogetherSimFile = {
        id: `file-${crypto.randomUUID()}`,
        filename: String(form.get("file_name") ?? (file instanceof File ? file.name : "training.jsonl")),
        bytes: new TextEncoder().encode(content).length,
        content,
        lineCount: content.split("\n").filter((line) => line.trim() !== "").length,
        createdAtMs: state.now(),
      };
      state.files.set(stored.id, stored);
      return jsonResponse(fileObject(stored));
    }),
  ];
}
