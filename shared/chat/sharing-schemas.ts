import { z } from "zod";

/** PUT /fine-tune-chat-sharing: the reader's choice. */
export const chatSharingBody = z.object({
  shareRatedChats: z.boolean().describe(
    "Let the owners of public models you chat with turn your up-rated exchanges into anonymised training examples",
  ),
}).strict();

/** 200 of GET and PUT /fine-tune-chat-sharing. */
export const chatSharingResponse = z.object({
  success: z.literal(true),
  shareRatedChats: z.boolean().describe("Off unless the reader turned it on"),
  updatedAt: z.string().nullable().describe("When the reader last chose; null if never"),
}).meta({ id: "ChatSharing" });
