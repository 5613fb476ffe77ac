import type { UserAuth } from "../auth/identity.ts";
import { withUserTransaction } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { READER_NAME, type TranscriptHeader, type TranscriptMessage } from "./lines.ts";

/**
 * Reading a conversation for export, as its user (RLS decides: only the user who chatted reads
 * it): what it is (one-to-one or group, with whom, since when), then its messages a page at a
 * time by keyset, so a conversation of any length is read in constant memory.
 */

/** Messages read per round trip: large enough to be cheap, small enough to stream. */
export const EXPORT_PAGE_SIZE = 500;

export interface ConversationToExport {
  header: TranscriptHeader;
  kind: "one-to-one" | "group";
  /** The persona's opening words (its greeting) as the first message, when the conversation keeps one. */
  opening: TranscriptMessage | null;
}

/** The conversation's header, or 404 when it is not the caller's (or does not exist). */
export async function findConversation(auth: UserAuth, conversationId: string): Promise<ConversationToExport> {
  const [row] = await withUserTransaction(auth, (tx) =>
    tx<{ kind: "one-to-one" | "group"; started_at: string; opening: string | null; participants: { modelId: string | null; name: string }[] }[]>`
      select 'one-to-one' as kind, c.created_at as started_at, o.content as opening,
             json_build_array(json_build_object('modelId', m.id, 'name', m.entity_name)) as participants
      from public.fine_tuned_chats c
      join public.fine_tuned_models m on m.id = c.model_id
      left join public.conversation_openings o on o.conversation_id = c.conversation_id
      where c.conversation_id = ${conversationId} and c.message_order = 1
      union all
      select 'group', g.created_at, null,
             coalesce((select json_agg(json_build_object('modelId', p.model_id, 'name', pm.entity_name) order by p.position)
                       from public.group_conversation_participants p
                       join public.fine_tuned_models pm on pm.id = p.model_id
                       where p.conversation_id = g.id), '[]'::json)
      from public.group_conversations g
      where g.id = ${conversationId}
      limit 1`
  );
  if (!row) throw notFound("No such conversation.");
  const createDate = new Date(row.started_at).toISOString();
  const persona = row.participants[0];
  return {
    kind: row.kind,
    header: {
      user_name: READER_NAME,
      character_name: row.participants.map((participant) => participant.name).join(", "),
      create_date: createDate,
      chat_metadata: { storyvoice: { conversationId, kind: row.kind, participants: row.participants } },
    },
    // SillyTavern's own chats begin with the character's greeting, said before the reader's first line.
    opening: row.opening === null ? null : {
      name: persona.name,
      is_user: false,
      send_date: createDate,
      mes: row.opening,
      extra: { model_id: persona.modelId },
    },
  };
}

/** The caller's one-to-one conversations with a model, oldest first (404 for a model they may not see). */
export async function conversationsWithModel(auth: UserAuth, modelId: string): Promise<string[]> {
  const { visible, ids } = await withUserTransaction(auth, async (tx) => {
    const [model] = await tx`select 1 from public.fine_tuned_models where id = ${modelId}`;
    if (!model) return { visible: false, ids: [] };
    const rows = await tx<{ conversation_id: string }[]>`
      select c.conversation_id from public.fine_tuned_chats c
      where c.user_id = ${auth.userId} and c.model_id = ${modelId} and c.message_order = 1
      order by c.created_at, c.conversation_id`;
    return { visible: true, ids: rows.map((row) => row.conversation_id) };
  });
  if (!visible) throw notFound("No such model.");
  return ids;
}

interface MessageRow {
  message_order: number;
  rows: TranscriptMessage[];
}

/**
 * One page of the conversation's messages after `afterOrder`, in order. A one-to-one exchange is
 * two messages (the reader's, the persona's); a group message is one.
 */
export async function readMessagePage(
  auth: UserAuth,
  conversation: ConversationToExport,
  afterOrder: number,
): Promise<{ messages: TranscriptMessage[]; lastOrder: number | null }> {
  const conversationId = conversation.header.chat_metadata.storyvoice.conversationId;
  const rows = await withUserTransaction(auth, (tx) =>
    conversation.kind === "one-to-one"
      ? tx<MessageRow[]>`
          select c.message_order,
                 json_build_array(
                   json_build_object('name', ${READER_NAME}::text, 'is_user', true, 'send_date', c.created_at, 'mes', c.user_message),
                   json_build_object('name', m.entity_name, 'is_user', false, 'send_date', c.created_at, 'mes', c.ai_response,
                                     'extra', json_build_object('model_id', c.model_id, 'used_fallback', c.used_fallback))
                 ) as rows
          from public.fine_tuned_chats c
          join public.fine_tuned_models m on m.id = c.model_id
          where c.conversation_id = ${conversationId} and c.message_order > ${afterOrder}
          order by c.message_order
          limit ${EXPORT_PAGE_SIZE}`
      : tx<MessageRow[]>`
          select g.message_order,
                 json_build_array(json_build_object(
                   'name', coalesce(g.speaker_name, ${READER_NAME}::text), 'is_user', g.role = 'user',
                   'send_date', g.created_at, 'mes', g.content,
                   'extra', case when g.role = 'assistant'
                                 then json_build_object('model_id', g.model_id, 'used_fallback', g.used_fallback) end)
                 ) as rows
          from public.group_messages g
          where g.conversation_id = ${conversationId} and g.message_order > ${afterOrder}
          order by g.message_order
          limit ${EXPORT_PAGE_SIZE}`
  );
  const messages = rows.flatMap((row) => row.rows.map(withIsoTime));
  return { messages, lastOrder: rows.at(-1)?.message_order ?? null };
}

/** Postgres renders timestamps as `2026-12-01T20:25:53.932+00:00`; transcripts use `Z` ISO times. */
function withIsoTime(message: TranscriptMessage): TranscriptMessage {
  const { extra, ...rest } = message;
  return {
    ...rest,
    send_date: message.send_date ? new Date(message.send_date).toISOString() : undefined,
    ...(extra ? { extra } : {}),
  };
}
