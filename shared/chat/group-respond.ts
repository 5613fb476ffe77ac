import { env } from "../env.ts";
import type { UserAuth } from "../auth/identity.ts";
import { personaFromRow } from "../lifecycle/persona-from-row.ts";
import { log } from "../log.ts";
import { buildFallbackStyleGuide } from "../personas/style-guide.ts";
import type { ChatMessage } from "../llm/chat.ts";
import { answerAsEventStream, readReply } from "./event-stream.ts";
import { type GroupChatContext, type GroupHistoryMessage, type GroupPersona, loadGroupContext } from "./group-context.ts";
import { buildGroupChatMessages } from "./group-prompt.ts";
import type { GroupChatBody } from "./group-schemas.ts";
import { chooseSpeakers } from "./group-speakers.ts";
import { type AnsweredGroupReply, storeGroupRound } from "./group-store.ts";
import { returnChatTurn, takeChatTurn } from "./quota.ts";
import { completeReply, modelUsedFor, openStreamedReply } from "./reply.ts";
import { chatSpendEntry, recordUnstoredSpend, refuseChatPastSpendLimit } from "./spend.ts";

/** A group round, prepared: the personas, who speaks, and a quota turn taken for each reply. */
interface PreparedRound {
  context: GroupChatContext;
  speakers: GroupPersona[];
  conversationId: string;
  turnsTaken: number;
}

/** Gives back the quota turns of replies that were not stored, logging rather than failing. */
async function returnTurns(auth: UserAuth, count: number) {
  for (let i = 0; i < count; i++) {
    await returnChatTurn(auth.userId).catch((error) => log.warn("could not give a chat turn back", { error }));
  }
}

/**
 * Loads the personas and the conversation, chooses the speakers and takes one quota turn per
 * reply (all or none: a round that cannot be answered whole is a 429 that costs nothing).
 */
async function prepareRound(auth: UserAuth, body: GroupChatBody): Promise<PreparedRound> {
  await refuseChatPastSpendLimit();
  const context = await loadGroupContext(auth, body.modelIds, body.conversationId);
  const speakers = chooseSpeakers({
    strategy: body.strategy,
    personas: context.personas,
    message: body.message,
    speaker: body.speaker,
  });
  let turnsTaken = 0;
  try {
    for (; turnsTaken < speakers.length; turnsTaken++) await takeChatTurn(auth.userId);
  } catch (error) {
    await returnTurns(auth, turnsTaken);
    throw error;
  }
  return { context, speakers, conversationId: body.conversationId ?? crypto.randomUUID(), turnsTaken };
}

/** The prompt of the next speaker: the stored conversation and this round so far, labelled. */
function messagesFor(prepared: PreparedRound, persona: GroupPersona, round: GroupHistoryMessage[]): ChatMessage[] {
  return buildGroupChatMessages({
    // A model still being created may not have its style guide yet: the deterministic one stands in.
    styleGuide: persona.style_description ?? buildFallbackStyleGuide(personaFromRow(persona)),
    persona,
    otherNames: prepared.context.personas.filter((other) => other.id !== persona.id).map((other) => other.name),
    history: prepared.context.history,
    round,
    historyTokenBudget: env().CHAT_HISTORY_TOKEN_BUDGET,
  });
}

function roundMessage(body: GroupChatBody): GroupHistoryMessage {
  return { role: "user", modelId: null, speakerName: null, content: body.message };
}

function replyMessage(reply: AnsweredGroupReply): GroupHistoryMessage {
  return { role: "assistant", modelId: reply.modelId, speakerName: reply.name, content: reply.text };
}

function storeRound(auth: UserAuth, prepared: PreparedRound, body: GroupChatBody, replies: AnsweredGroupReply[]) {
  return storeGroupRound(auth, {
    conversationId: prepared.conversationId,
    newParticipants: body.conversationId ? undefined : body.modelIds,
    userMessage: body.message,
    replies,
  });
}

/** A JSON answer: every persona replies in turn, then the round is stored, then it is answered. */
export async function groupChatAsJson(auth: UserAuth, body: GroupChatBody, signal: AbortSignal) {
  const prepared = await prepareRound(auth, body);
  const replies: AnsweredGroupReply[] = [];
  let stored = false;
  try {
    const round = [roundMessage(body)];
    for (const persona of prepared.speakers) {
      const started = performance.now();
      const messages = messagesFor(prepared, persona, round);
      const answer = await completeReply(persona, messages, { temperature: body.temperature, maxTokens: body.maxTokens, signal });
      const reply = {
        modelId: persona.id,
        name: persona.name,
        text: answer.text,
        tokensUsed: answer.tokensUsed,
        responseTimeMs: Math.round(performance.now() - started),
        usedFallback: answer.usingFallback,
        modelUsed: modelUsedFor(persona, answer),
        spend: chatSpendEntry(auth, persona, answer),
      };
      replies.push(reply);
      round.push(replyMessage(reply));
    }
    const { replyIds } = await storeRound(auth, prepared, body, replies);
    stored = true;
    return {
      conversationId: prepared.conversationId,
      replies: replies.map((reply, index) => ({
        messageId: replyIds[index],
        modelId: reply.modelId,
        name: reply.name,
        response: reply.text,
        usingFallback: reply.usedFallback,
        tokensUsed: reply.tokensUsed,
      })),
    };
  } catch (error) {
    await returnTurns(auth, prepared.turnsTaken);
    // Replies the providers answered before the round failed were paid for all the same.
    if (!stored) await recordUnstoredSpend(replies.map((reply) => reply.spend));
    throw error;
  }
}

/** One persona's stream, opened: which model answers is settled by its first event. */
function openReply(persona: GroupPersona, messages: ChatMessage[], body: GroupChatBody, signal: AbortSignal) {
  return openStreamedReply(persona, messages, { temperature: body.temperature, maxTokens: body.maxTokens, signal });
}

/**
 * Server-Sent Events: each speaker's `delta` events in turn (every one names its speaker), then
 * `done` with the totals once the whole round is stored, or `error` (then nothing is stored and
 * the quota turns are given back). The first speaker's model is settled before the first byte, so
 * a round whose first persona cannot answer is a plain 502/503.
 */
export async function groupChatAsEventStream(auth: UserAuth, body: GroupChatBody, signal: AbortSignal) {
  const prepared = await prepareRound(auth, body);
  const cancel = new AbortController();
  const abortAll = AbortSignal.any([signal, cancel.signal]);
  const round = [roundMessage(body)];
  const [firstSpeaker] = prepared.speakers;
  let started = performance.now();
  let firstOpened: Awaited<ReturnType<typeof openReply>>;
  try {
    firstOpened = await openReply(firstSpeaker, messagesFor(prepared, firstSpeaker, round), body, abortAll);
  } catch (error) {
    await returnTurns(auth, prepared.turnsTaken);
    throw error;
  }

  let stored = false;
  const replies: AnsweredGroupReply[] = [];
  return answerAsEventStream({
    async write(send, cancelled) {
      for (const [index, persona] of prepared.speakers.entries()) {
        if (index > 0) started = performance.now();
        const opened = index === 0 ? firstOpened : await openReply(persona, messagesFor(prepared, persona, round), body, abortAll);
        const read = await readReply(opened, (text) => send("delta", { modelId: persona.id, name: persona.name, text }));
        if (!read || cancelled()) return;
        const reply = {
          modelId: persona.id,
          name: persona.name,
          text: read.text,
          tokensUsed: read.done.tokensUsed,
          responseTimeMs: Math.round(performance.now() - started),
          usedFallback: opened.usingFallback,
          modelUsed: modelUsedFor(persona, opened),
          spend: chatSpendEntry(auth, persona, { ...opened, usage: read.done.usage }),
        };
        replies.push(reply);
        round.push(replyMessage(reply));
      }
      const { replyOrders, replyIds } = await storeRound(auth, prepared, body, replies);
      stored = true;
      send("done", {
        conversationId: prepared.conversationId,
        replies: replies.map((reply, index) => ({
          messageId: replyIds[index],
          modelId: reply.modelId,
          name: reply.name,
          usingFallback: reply.usedFallback,
          tokensUsed: reply.tokensUsed,
          messageOrder: replyOrders[index],
        })),
        tokensUsed: replies.reduce((sum, reply) => sum + reply.tokensUsed, 0),
      });
    },
    async settle() {
      if (stored) return;
      await returnTurns(auth, prepared.turnsTaken);
      await recordUnstoredSpend(replies.map((reply) => reply.spend));
    },
  }, cancel, { message: "group chat stream failed" });
}
