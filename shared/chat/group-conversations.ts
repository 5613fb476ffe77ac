import { withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import { notFound } from "../errors.ts";
import { type Cursor, keysetPage } from "../db/keyset.ts";

interface SummaryRow {
  conversation_id: string;
  started_at: Date;
  cursor_started_at: string;
  participants: { modelId: string; name: string }[];
  message_count: number;
}

// The participants a user may still see (RLS on the models), in the order chosen, and the count of
// messages, for the conversation aliased `c`.
const SUMMARY_COLUMNS = `
  c.id as conversation_id,
  c.created_at as started_at,
  to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_started_at,
  coalesce((select json_agg(json_build_object('modelId', p.model_id, 'name', m.entity_name) order by p.position)
            from public.group_conversation_participants p
            join private.fine_tuned_models m on m.id = p.model_id
            where p.conversation_id = c.id), '[]'::json) as participants,
  (select count(*)::int from public.group_messages g where g.conversation_id = c.id) as message_count`;

function summary(row: SummaryRow) {
  return {
    conversationId: row.conversation_id,
    startedAt: row.started_at.toISOString(),
    participants: row.participants,
    messageCount: row.message_count,
  };
}

/** The caller's own group conversations, newest first, with their participants: one statement. */
export async function listGroupConversations(auth: UserAuth, page: { limit: number; cursor?: Cursor }) {
  const rows = await withUserTransaction(auth, (tx) =>
    tx<SummaryRow[]>`
      select ${tx.unsafe(SUMMARY_COLUMNS)}
      from public.group_conversations c
      where c.user_id = ${auth.userId}
        ${page.cursor
          ? tx`and (c.created_at, c.id) < (${page.cursor.createdAt}::timestamptz, ${page.cursor.id}::uuid)`
          : tx``}
      order by c.created_at desc, c.id desc
      limit ${page.limit + 1}`
  );
  const { items, nextCursor } = keysetPage(rows, page.limit, (row) => ({
    createdAt: row.cursor_started_at,
    id: row.conversation_id,
  }));
  return { conversations: items.map(summary), nextCursor };
}

/** One of the caller's group conversations with every message in order (404 unless their own). */
export async function readGroupConversation(auth: UserAuth, conversationId: string) {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<(SummaryRow & {
      messages: { messageId: string; order: number; role: "user" | "assistant"; modelId: string | null; speaker: string; text: string; timestamp: string; usingFallback: boolean | null; rating: "up" | "down" | null }[];
    })[]>`
      select ${tx.unsafe(SUMMARY_COLUMNS)},
             coalesce((select json_agg(json_build_object(
                         'messageId', g.id, 'order', g.message_order, 'role', g.role, 'modelId', g.model_id,
                         'speaker', coalesce(g.speaker_name, 'user'), 'text', g.content,
                         'timestamp', g.created_at, 'usingFallback', g.used_fallback, 'rating', g.rating)
                         order by g.message_order)
                       from public.group_messages g where g.conversation_id = c.id), '[]'::json) as messages
      from public.group_conversations c
      where c.id = ${conversationId}`
  );
  if (!row) throw notFound("No such conversation.");
  return {
    conversation: {
      ...summary(row),
      messages: row.messages.map((message) => ({ ...message, timestamp: new Date(message.timestamp).toISOString() })),
    },
  };
}
