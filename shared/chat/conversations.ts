import { withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { type Cursor, keysetPage } from "../db/keyset.ts";

interface ConversationRow {
  conversation_id: string;
  started_at: Date;
  cursor_started_at: string;
  opening: string | null;
  title: string | null;
  messages: { id: string; user: string; assistant: string; timestamp: string; order: number; rating: "up" | "down" | null; usingFallback: boolean }[];
}

/**
 * The caller's own conversations with a model, newest first, with their messages in order: one
 * statement. The page of conversations comes from the index of first exchanges (message_order = 1),
 * the messages from the (conversation_id, message_order) key, so history length costs nothing extra;
 * each with its stored opening (`conversation_openings`, RLS: the reader's own).
 */
export async function listConversations(auth: UserAuth, modelId: string, page: { limit: number; cursor?: Cursor }) {
  const { visible, rows } = await withUserTransaction(auth, async (tx) => {
    const [model] = await tx`select 1 from public.fine_tuned_models where id = ${modelId}`;
    if (!model) return { visible: false, rows: [] as ConversationRow[] };
    const rows = await tx<ConversationRow[]>`
      with page as (
        select c.conversation_id, c.created_at
        from public.fine_tuned_chats c
        where c.user_id = ${auth.userId} and c.model_id = ${modelId} and c.message_order = 1
          ${page.cursor
            ? tx`and (c.created_at, c.conversation_id) < (${page.cursor.createdAt}::timestamptz, ${page.cursor.id}::uuid)`
            : tx``}
        order by c.created_at desc, c.conversation_id desc
        limit ${page.limit + 1}
      )
      select p.conversation_id,
             p.created_at as started_at,
             to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_started_at,
             (select o.content from public.conversation_openings o where o.conversation_id = p.conversation_id) as opening,
             (select t.title from public.conversation_titles t
              where t.user_id = ${auth.userId} and t.conversation_id = p.conversation_id) as title,
             (select json_agg(json_build_object(
                       'id', m.id,
                       'user', m.user_message,
                       'assistant', m.ai_response,
                       'timestamp', m.created_at,
                       'order', m.message_order,
                       'rating', m.rating,
                       'usingFallback', m.used_fallback) order by m.message_order)
              from public.fine_tuned_chats m
              where m.conversation_id = p.conversation_id) as messages
      from page p
      order by p.created_at desc, p.conversation_id desc`;
    return { visible: true, rows };
  });
  if (!visible) throw notFound("No such model.");

  const { items, nextCursor } = keysetPage(
    rows,
    page.limit,
    (row) => ({ createdAt: row.cursor_started_at, id: row.conversation_id }),
  );
  return {
    conversations: items.map((row) => ({
      conversationId: row.conversation_id,
      startedAt: row.started_at.toISOString(),
      opening: row.opening,
      title: row.title,
      messages: row.messages.map((message) => ({
        chatId: message.id,
        user: message.user,
        assistant: message.assistant,
        timestamp: new Date(message.timestamp).toISOString(),
        rating: message.rating,
        usingFallback: message.usingFallback,
      })),
    })),
    nextCursor,
  };
}

/**
 * Names one of the caller's conversations with a model (renaming it when named before). 404 when
 * the conversation is not the caller's with this model; RLS checks the same again.
 */
export async function nameConversation(auth: UserAuth, modelId: string, conversationId: string, title: string) {
  const stored = await withUserTransaction(auth, async (tx) => {
    const [mine] = await tx`
      select 1 from public.fine_tuned_chats
      where conversation_id = ${conversationId} and model_id = ${modelId} and user_id = ${auth.userId}
      limit 1`;
    if (!mine) return null;
    const [row] = await tx<{ title: string }[]>`
      insert into public.conversation_titles (conversation_id, title)
      values (${conversationId}, ${title})
      on conflict (user_id, conversation_id) do update set title = excluded.title, updated_at = now()
      returning title`;
    return row;
  });
  if (!stored) throw notFound("No such conversation of yours with this model.");
  return { conversationId, title: stored.title };
}
