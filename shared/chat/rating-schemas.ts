import { z } from "zod";

/** A reader's verdict on one reply. */
export const chatRatingSchema = z.enum(["up", "down"]).meta({ id: "ChatRating" });

export const chatIdPath = ["chatId"] as const;
export const chatIdParams = z.object({
  chatId: z.string({ message: "The path must end with /<chatId>" }).uuid({ message: "chatId must be a UUID" }),
});

/** PUT /fine-tune-chat-rating/:chatId: null takes a rating back. */
export const rateChatBody = z.object({
  rating: chatRatingSchema.nullable().describe("up, down, or null to clear"),
}).strict();

export const chatRatedResponse = z.object({
  success: z.literal(true),
  chatId: z.uuid(),
  rating: chatRatingSchema.nullable(),
}).meta({ id: "ChatRated" });
