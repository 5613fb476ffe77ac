import type { components, operations } from "./openapi.ts";
import type { JsonBody, TypedCall } from "./paths.ts";

type Schemas = components["schemas"];

export type Memory = Schemas["Memory"];
export type MemoryList = Schemas["MemoryList"];
export type MemoryUsed = Schemas["MemoryUsed"];
export type PinMemoryInput = JsonBody<operations["postFineTuneMemories"]>;
export type ReaderPersona = Schemas["ReaderPersona"];
export type CreateReaderPersonaInput = JsonBody<operations["postFineTuneReaderPersonas"]>;
export type EditReaderPersonaInput = JsonBody<operations["patchFineTuneReaderPersonas"]>;

/** The reader's own side of chat: pinned memories per persona and who they are (reader personas). */
export function readerMethods(call: TypedCall) {
  return {
    /** Your memories of a persona, most recently written first, with the limits in force. */
    listMemories: (modelId: string, signal?: AbortSignal): Promise<MemoryList> =>
      call("get", "/fine-tune-memories/{modelId}", { params: { modelId }, signal }),
    /** Pins a memory: `{ text }` typed, or `{ chatId }` one of your replies (cut to the limit at a word). */
    pinMemory: async (modelId: string, input: PinMemoryInput): Promise<Memory> =>
      (await call("post", "/fine-tune-memories/{modelId}", { params: { modelId }, body: input })).memory,
    editMemory: async (modelId: string, memoryId: string, text: string): Promise<Memory> =>
      (await call("patch", "/fine-tune-memories/{modelId}/{memoryId}", { params: { modelId, memoryId }, body: { text } })).memory,
    deleteMemory: async (modelId: string, memoryId: string): Promise<void> => {
      await call("delete", "/fine-tune-memories/{modelId}/{memoryId}", { params: { modelId, memoryId } });
    },
    /** Who you may be in your chats, oldest first. */
    listReaderPersonas: async (signal?: AbortSignal): Promise<ReaderPersona[]> =>
      (await call("get", "/fine-tune-reader-personas", { signal })).personas,
    createReaderPersona: async (input: CreateReaderPersonaInput): Promise<ReaderPersona> =>
      (await call("post", "/fine-tune-reader-personas", { body: input })).persona,
    editReaderPersona: async (personaId: string, input: EditReaderPersonaInput): Promise<ReaderPersona> =>
      (await call("patch", "/fine-tune-reader-personas/{personaId}", { params: { personaId }, body: input })).persona,
    deleteReaderPersona: async (personaId: string): Promise<void> => {
      await call("delete", "/fine-tune-reader-personas/{personaId}", { params: { personaId } });
    },
  };
}
