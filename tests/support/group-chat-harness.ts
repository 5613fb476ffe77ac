import groupChat from "../../functions/fine-tune-group-chat/handler.ts";
import groupConversations from "../../functions/fine-tune-group-conversations/handler.ts";
import { adminSql, type TestUser } from "./stack.ts";

// POST /fine-tune-group-chat and GET /fine-tune-group-conversations in-process, beside the chat
// harness (which gives each file its simulator and database).

/** A group chat request as a client sends it; `user` null sends no token. */
export function groupChatRequest(user: TestUser | null, body: unknown, headers: Record<string, string> = {}) {
  return new Request("http://localhost/functions/v1/fine-tune-group-chat", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(user ? { Authorization: `Bearer ${user.token}` } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Sends a non-streaming group message and reads the JSON answer. */
export async function sendGroup(user: TestUser | null, body: unknown) {
  const response = await groupChat(groupChatRequest(user, body));
  return { status: response.status, json: JSON.parse(await response.text()) };
}

/** GET /fine-tune-group-conversations with `query`. */
export async function getGroupConversations(user: TestUser | null, query = "") {
  const response = await groupConversations(new Request(
    `http://localhost/functions/v1/fine-tune-group-conversations${query}`,
    { headers: user ? { Authorization: `Bearer ${user.token}` } : {} },
  ));
  return { status: response.status, json: JSON.parse(await response.text()) };
}

/** The stored messages of a group conversation, in order. */
export async function groupRows(conversationId: string) {
  return await adminSql()<{
    id: string;
    message_order: number;
    role: string;
    model_id: string | null;
    speaker_name: string | null;
    content: string;
    used_fallback: boolean | null;
    user_id: string;
  }[]>`
    select id, message_order, role, model_id, speaker_name, content, used_fallback, user_id
    from public.group_messages where conversation_id = ${conversationId} order by message_order`;
}

/** How many group messages of `userId` are stored. */
export async function groupMessageCount(userId: string) {
  const [{ count }] = await adminSql()<{ count: number }[]>`
    select count(*)::int as count from public.group_messages where user_id = ${userId}`;
  return count;
}
