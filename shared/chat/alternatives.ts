import type { UserAuth } from "../auth/identity.ts";
import { HttpError } from "../errors.ts";
import type { ChatMessage } from "../llm/chat.ts";
import type { NewReplyBody } from "./alternative-schemas.ts";
import { findLastExchange, storeAlternative } from "./alternative-store.ts";
import { completeReply, modelUsedFor } from "./reply.ts";
import { givingTurnBackOnFailure, prepareTurn } from "./respond.ts";
import { chatSpendEntry, recordUnstoredSpend } from "./spend.ts";

/** Asked of the model after its cut-off reply: provider-neutral (no assistant prefill). */
const CONTINUE_INSTRUCTION =
  "(Your last reply was cut off. Continue it exactly where it stopped, without repeating any of it and without comment.)";

/** The prompt of another reply: the hint goes into this request's system prompt only; continue shows the cut-off reply. */
export function messagesForNewReply(messages: ChatMessage[], body: NewReplyBody, cutOffReply: string): ChatMessage[] {
  const [system, ...rest] = messages;
  if (body.action === "regenerate" && body.hint) {
    return [{ ...system, content: `${system.content}\n\nFor your next reply only, the reader asks: ${body.hint}` }, ...rest];
  }
  if (body.action === "continue") {
    return [system, ...rest, { role: "assistant", content: cutOffReply }, { role: "user", content: CONTINUE_INSTRUCTION }];
  }
  return messages;
}

/** The cut-off reply and its continuation as one text: a space between words, none before punctuation. */
export function joinContinuation(before: string, after: string): string {
  if (!after) return before;
  if (/\s$/.test(before) || /^[\s.,;:!?…'’")\]]/.test(after)) return before + after;
  return `${before} ${after}`;
}

/**
 * Another reply to the caller's last exchange of a conversation: regenerated (with an optional
 * hint), answering an edited message, or continuing a cut-off reply. It costs what a chat costs
 * (spend limit, a quota turn, the spend ledger), is given back when nothing gets stored, and is
 * stored beside the exchange's earlier replies and chosen, so the conversation continues from it.
 */
export async function answerAgain(auth: UserAuth, chatId: string, body: NewReplyBody, signal: AbortSignal) {
  const exchange = await findLastExchange(auth, chatId);
  const message = body.action === "edit" ? body.message : exchange.userMessage;
  const turn = await prepareTurn(auth, exchange.modelId, { message, conversationId: exchange.conversationId }, true);
  return await givingTurnBackOnFailure(auth, async () => {
    const reply = await completeReply(turn.context.model, messagesForNewReply(turn.messages, body, exchange.aiResponse), {
      temperature: body.action === "continue" ? undefined : body.temperature,
      maxTokens: body.maxTokens,
      signal,
    });
    const spend = chatSpendEntry(auth, turn.context.model, reply);
    const response = body.action === "continue" ? joinContinuation(exchange.aiResponse, reply.text) : reply.text;
    const stored = await storeAlternative(auth, {
      chatId,
      kind: body.action,
      hint: body.action === "regenerate" ? body.hint ?? null : null,
      userMessage: message,
      aiResponse: response,
      tokensUsed: reply.tokensUsed,
      responseTimeMs: Math.round(performance.now() - turn.started),
      usedFallback: reply.usingFallback,
      modelUsed: modelUsedFor(turn.context.model, reply),
      spend,
    }).catch(async (error) => {
      // A 404/409 from the store recorded the spend itself; a database failure did not.
      if (!(error instanceof HttpError)) await recordUnstoredSpend([spend]);
      throw error;
    });
    return {
      chatId,
      ...stored,
      message,
      response,
      tokensUsed: reply.tokensUsed,
      usingFallback: reply.usingFallback,
      citations: turn.citations,
    };
  });
}
