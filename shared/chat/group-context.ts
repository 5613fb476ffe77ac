import { withUserTransaction } from "../db/client.ts";
import type { UserAuth } from "../auth/identity.ts";
import { HttpError, notFound, validationFailed } from "../errors.ts";
import type { ChatModel } from "./context.ts";

/** Messages loaded for context; the token budget then keeps the newest that fit. */
const GROUP_HISTORY_LIMIT = 100;

/** A persona of a group chat: what one-to-one chat needs, and the name it speaks under. */
export type GroupPersona = ChatModel & { name: string };

/** One earlier message of a group conversation, as the prompt labels it. */
export interface GroupHistoryMessage {
  role: "user" | "assistant";
  modelId: string | null;
  speakerName: string | null;
  content: string;
}

export interface GroupChatContext {
  /** The personas, in the order the request named them. */
  personas: GroupPersona[];
  /** Earlier messages, oldest first (empty for a new conversation). */
  history: GroupHistoryMessage[];
}

/**
 * Everything a group round needs, in one statement as the user (RLS decides): each persona (404
 * naming the first id the user may not chat with), and for a continued conversation its recent
 * messages (404 unless it is the user's own; 422 when `modelIds` are not its participants).
 */
export async function loadGroupContext(auth: UserAuth, modelIds: string[], conversationId?: string): Promise<GroupChatContext> {
  const [row, routes] = await withUserTransaction(auth, async (tx) => [
    (await tx<{
      personas: Omit<GroupPersona, "openai_model_id" | "provider" | "base_model">[];
      conversation_found: boolean;
      participant_ids: string[];
      history: GroupHistoryMessage[];
    }[]>`
      select
        coalesce((
          select json_agg(json_build_object(
                   'id', m.id, 'name', m.entity_name, 'type', m.type, 'entity_name', m.entity_name,
                   'description', m.description, 'book_info', m.book_info,
                   'style_description', m.style_description,
                   'greeting', m.greeting, 'chat_mode', m.chat_mode, 'owned', m.created_by = ${auth.userId}))
          from private.fine_tuned_models m
          where m.id = any(${modelIds}::uuid[])
        ), '[]'::json) as personas,
        ${conversationId ?? null}::uuid is null
          or exists (select 1 from public.group_conversations c where c.id = ${conversationId ?? null}::uuid)
          as conversation_found,
        coalesce((
          select json_agg(p.model_id order by p.position)
          from public.group_conversation_participants p
          where p.conversation_id = ${conversationId ?? null}::uuid
        ), '[]'::json) as participant_ids,
        coalesce((
          select json_agg(json_build_object('role', h.role, 'modelId', h.model_id,
                                            'speakerName', h.speaker_name, 'content', h.content)
                          order by h.message_order)
          from (select g.role, g.model_id, g.speaker_name, g.content, g.message_order
                from public.group_messages g
                where g.conversation_id = ${conversationId ?? null}::uuid
                order by g.message_order desc
                limit ${GROUP_HISTORY_LIMIT}) h
        ), '[]'::json) as history`)[0],
    // Where each live fine-tune answers: owner-only columns, read with the service's rights (after
    // the statement above: postgres.js sends a query when it is awaited) and used only for the
    // personas that statement found under the user's RLS.
    await tx`select set_config('role', 'service_role', true)`.then(() =>
      tx<{ id: string; openai_model_id: string | null; provider: string; base_model: string | null }[]>`
        select m.id, m.openai_model_id, coalesce(m.fine_tune_provider, m.provider) as provider,
               coalesce(m.fine_tune_base_model, m.base_model) as base_model
        from private.fine_tuned_models m
        where m.id = any(${modelIds}::uuid[])`
    ),
  ] as const);
  const routeOf = new Map(routes.map((route) => [route.id, route]));
  const byId = new Map(row.personas.flatMap((persona) => {
    const route = routeOf.get(persona.id);
    if (!route) return [];
    return [[persona.id, { ...persona, openai_model_id: route.openai_model_id, provider: route.provider, base_model: route.base_model }]];
  }));
  const missing = modelIds.findIndex((id) => !byId.has(id));
  if (missing !== -1) {
    throw new HttpError(404, "not_found", `No such model: ${modelIds[missing]}.`, {
      details: [{ path: ["modelIds", missing], message: "No such model, or one the caller may not chat with" }],
    });
  }
  if (!row.conversation_found) throw notFound("No such conversation.");
  if (conversationId) {
    const participants = new Set(row.participant_ids);
    if (participants.size !== modelIds.length || modelIds.some((id) => !participants.has(id))) {
      throw validationFailed([{ path: ["modelIds"], message: "modelIds must be the conversation's participants" }]);
    }
  }
  return { personas: modelIds.map((id) => byId.get(id)!), history: row.history };
}
