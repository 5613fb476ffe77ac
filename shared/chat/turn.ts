import type { UserAuth } from "../auth/identity.ts";
import type postgres from "postgres";
import { onDatabase } from "../db/client.ts";
import { env } from "../env.ts";
import { notFound, userNotFound } from "../errors.ts";
import type { TurnBook } from "./book-context.ts";
import type { ChatContext } from "./context.ts";
import { chatQuotaExceeded } from "./quota.ts";

/** Exchanges loaded for context; the token budget then keeps the newest that fit. */
const HISTORY_LIMIT = 50;
/** Passages retrieved for a turn, best first; the passage token budget then keeps those that fit. */
const PASSAGE_LIMIT = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Turn =
  | ({ outcome: "ok" } & ChatContext)
  | { outcome: "user_not_found" | "model_not_found" | "conversation_not_found" }
  | { outcome: "quota_exceeded"; quota: number };

/** What a turn retrieves from the persona's book: passages for `message`, up to `position` when given. */
export interface TurnRetrieval {
  message: string;
  /** The request's place for this message; without it, the reader's stored progress. */
  position?: { chapter: number; percent?: number };
}

/**
 * Everything before the provider call, in one round trip (`private.begin_chat_turn`): the user
 * still exists (else 401), the model and the conversation as the user may see them under RLS
 * (else 404), its recent history, and one of the user's chat turns for today under their plan's
 * quota (else 429). Give the turn back with `returnChatTurn` when no exchange gets stored. With
 * `retrieval`, the same statement also asks `private.passages_for_turn` for the persona's book:
 * the reader's place and the passages up to it (`book`, null when the persona has no text the
 * reader may read). The conversation's stored opening comes with it (`opening`, null when it has none).
 */
export async function beginChatTurn(
  auth: UserAuth,
  modelId: string,
  conversationId?: string,
  retrieval?: TurnRetrieval,
): Promise<ChatContext & { book: TurnBook | null }> {
  if (!UUID.test(auth.userId)) throw userNotFound();
  // The deployment default; the user's plan may set its own (private.chat_quota_of).
  const quota = env().DAILY_CHAT_QUOTA;
  const claims = auth.claims as postgres.JSONValue;
  const [{ turn, opening, book }] = await onDatabase((sql) =>
    sql<{ turn: Turn; opening: string | null; book: TurnBook | null }[]>`
      select private.begin_chat_turn(${auth.userId}, ${sql.json(claims)}, ${modelId},
                                     ${conversationId ?? null}, ${quota}, ${HISTORY_LIMIT}) as turn,
             (select o.content from public.conversation_openings o
              where o.conversation_id = ${conversationId ?? null} and o.user_id = ${auth.userId}) as opening,
             ${retrieval
               ? sql`private.passages_for_turn(${sql.json(claims)}, ${modelId}, ${retrieval.message},
                                               ${retrieval.position?.chapter ?? null}::integer,
                                               ${retrieval.position?.percent ?? null}::numeric, ${PASSAGE_LIMIT})`
               : sql`null::jsonb`} as book`
  );
  switch (turn.outcome) {
    case "ok":
      return { model: turn.model, history: turn.history, opening, book };
    case "user_not_found":
      throw userNotFound();
    case "model_not_found":
      throw notFound("No such model.");
    case "conversation_not_found":
      throw notFound("No such conversation.");
    case "quota_exceeded":
      throw chatQuotaExceeded(turn.quota);
  }
}
