import { z } from "zod";
import { chatErrorEvent } from "./responses.ts";
import { chatRatingSchema } from "./rating-schemas.ts";

/** A persona of a group conversation. */
const participant = z.object({
  modelId: z.uuid(),
  name: z.string().describe("The persona's name (its entity_name)"),
}).meta({ id: "GroupParticipant" });

/** One persona's reply in a round of a group chat. */
const groupReply = z.object({
  messageId: z.uuid().describe("The stored reply: PUT /fine-tune-chat-rating/:messageId rates it"),
  modelId: z.uuid(),
  name: z.string(),
  response: z.string(),
  usingFallback: z.boolean().describe("True when the persona fallback answered, not the fine-tune"),
  tokensUsed: z.number().int(),
}).meta({ id: "GroupReply" });

/** 200 of POST /fine-tune-group-chat as JSON: the round, already stored. */
export const groupChatResponse = z.object({
  success: z.literal(true),
  conversationId: z.uuid(),
  replies: z.array(groupReply).describe("In the order the personas spoke"),
}).meta({ id: "GroupChatReply" });

/** Data of an `event: delta` of a group stream: the next piece of one persona's reply. */
export const groupDeltaEvent = z.object({
  modelId: z.uuid().describe("Who is speaking"),
  name: z.string(),
  text: z.string(),
}).meta({ id: "GroupChatDeltaEvent" });

/** Data of the `event: done` that ends a group stream, sent once the whole round is stored. */
export const groupDoneEvent = z.object({
  conversationId: z.uuid(),
  replies: z.array(groupReply.omit({ response: true }).extend({ messageOrder: z.number().int() })),
  tokensUsed: z.number().int().describe("All replies of the round together"),
}).meta({ id: "GroupChatDoneEvent" });

/** The events of a streamed group round, by name. */
export const groupChatStreamEvents = {
  delta: groupDeltaEvent,
  done: groupDoneEvent,
  error: chatErrorEvent,
} as const;

/** One message of a group conversation as it reads back. */
const groupMessage = z.object({
  messageId: z.uuid().describe("For a reply, PUT /fine-tune-chat-rating/:messageId rates it"),
  order: z.number().int().describe("Position in the conversation, from 1"),
  role: z.enum(["user", "assistant"]),
  modelId: z.uuid().nullable().describe("The persona that spoke; null for the reader and for deleted personas"),
  speaker: z.string().describe("`user` for the reader, else the persona's name"),
  text: z.string(),
  timestamp: z.iso.datetime(),
  usingFallback: z.boolean().nullable()
    .describe("For a reply, true when the persona fallback answered, not the fine-tune; null for the reader's messages"),
  rating: chatRatingSchema.nullable().describe("The caller's rating of a reply; null when unrated and for the reader's messages"),
}).meta({ id: "GroupMessage" });

/** A group conversation in a listing. */
const groupConversationSummary = z.object({
  conversationId: z.uuid(),
  startedAt: z.iso.datetime(),
  participants: z.array(participant).describe("In the order chosen; personas since deleted or hidden are left out"),
  messageCount: z.number().int(),
}).meta({ id: "GroupConversationSummary" });

/** 200 of GET /fine-tune-group-conversations. */
export const groupConversationListResponse = z.object({
  success: z.literal(true),
  conversations: z.array(groupConversationSummary).describe("The caller's own group conversations, newest first"),
  nextCursor: z.string().nullable(),
}).meta({ id: "GroupConversationList" });

/** 200 of GET /fine-tune-group-conversations/:conversationId. */
export const groupConversationResponse = z.object({
  success: z.literal(true),
  conversation: groupConversationSummary.extend({
    messages: z.array(groupMessage).describe("In order, first message first"),
  }).meta({ id: "GroupConversation" }),
}).meta({ id: "GroupConversationRead" });
