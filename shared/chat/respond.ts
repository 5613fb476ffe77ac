import { env } from "../env.ts";
import type { UserAuth } from "../auth/identity.ts";
import { personaFromRow } from "../lifecycle/persona-from-row.ts";
import { log } from "../log.ts";
import { buildFallbackStyleGuide } from "../personas/style-guide.ts";
import type { ChatMessage } from "../llm/chat.ts";
import { buildBookContext, type Citation } from "./book-context.ts";
import type { SpendEntry } from "../llm/usage.ts";
import type { ChatContext } from "./context.ts";
import { answerAsEventStream, readReply } from "./event-stream.ts";
import { returnChatTurn } from "./quota.ts";
import { buildChatMessages } from "./prompt.ts";
import { completeReply, modelUsedFor, openStreamedReply } from "./reply.ts";
import type { ChatBody } from "./schemas.ts";
import { chatSpendEntry, recordUnstoredSpend, refuseChatPastSpendLimit } from "./spend.ts";
import { storeExchange } from "./store.ts";
import { beginChatTurn } from "./turn.ts";
import { runInBackground } from "../lifecycle/background.ts";
import { loadReaderContext } from "./reader-context.ts";
import { buildReaderPrompt, memoriesWithin, type ReaderTurnContext } from "./reader-prompt.ts";
import { refreshSummary, summaryFallsBehind } from "./summary.ts";

/** One chat turn, prepared: the model, the prompt and the conversation it continues. */
export interface PreparedTurn {
  context: ChatContext;
  messages: ChatMessage[];
  /** The book passages put in the prompt (none when the persona has no text or the reader no place). */
  citations: Citation[];
  conversationId: string;
  /** The greeting this new conversation opens with, stored with its first exchange (null when it continues one). */
  newOpening: string | null;
  started: number;
  reader: ReaderTurnContext;
  /** The memories put in the prompt, most recently written first (`memoriesUsed` of the answer). */
  memoriesUsed: { id: string; text: string }[];
}

/** The description a model's `book_info` carries: the blurb of a book uploaded without one. */
function bookDescription(info: unknown): string | null {
  const description = info && typeof info === "object" ? (info as { description?: unknown }).description : undefined;
  return typeof description === "string" && description.trim() ? description.trim() : null;
}

/**
 * Loads the context and takes a quota turn in one round trip; the caller gives the turn back if
 * nothing gets stored. `replacingLast`: the turn answers the conversation's last exchange again, so
 * that exchange leaves the history.
 */
export async function prepareTurn(
  auth: UserAuth,
  modelId: string,
  body: Pick<ChatBody, "message" | "conversationId" | "readingPosition" | "readerPersonaId">,
  replacingLast = false,
): Promise<PreparedTurn> {
  const started = performance.now();
  // Past the day's spend limit nothing is asked, taken or stored.
  await refuseChatPastSpendLimit();
  const conversationId = body.conversationId ?? crypto.randomUUID();
  // Read beside the turn's first statement; its failure (a persona not the reader's) gives the turn back.
  const readerLoad = loadReaderContext(auth, modelId, conversationId, body.readerPersonaId);
  readerLoad.catch(() => {});
  const context = await beginChatTurn(auth, modelId, body.conversationId, {
    message: body.message,
    position: body.readingPosition,
  });
  const reader = await givingTurnBackOnFailure(auth, () => readerLoad);
  const memoriesUsed = memoriesWithin(reader.memories, env().MEMORY_PROMPT_TOKEN_BUDGET);
  const { model } = context;
  // A model still being created may not have its style guide yet: the deterministic one stands in.
  const styleGuide = model.style_description ?? buildFallbackStyleGuide(personaFromRow(model));
  const book = context.book
    ? buildBookContext(context.book, env().BOOK_PASSAGE_TOKEN_BUDGET, bookDescription(model.book_info))
    : null;
  const messages = buildChatMessages({
    styleGuide,
    personaName: model.entity_name,
    history: replacingLast ? context.history.slice(0, -1) : context.history,
    message: body.message,
    historyTokenBudget: env().CHAT_HISTORY_TOKEN_BUDGET,
    // A conversation opens with its stored opening (an imported greeting), else the persona's greeting.
    greeting: context.opening ?? model.greeting,
    bookContext: book?.prompt,
    readerContext: buildReaderPrompt(reader, memoriesUsed),
  });
  return {
    context,
    messages,
    citations: book?.citations ?? [],
    conversationId,
    newOpening: body.conversationId ? null : model.greeting || null,
    started,
    reader,
    memoriesUsed,
  };
}

/** What every answer adds about the reader's part of the prompt. */
function readerFields(turn: PreparedTurn) {
  return { memoriesUsed: turn.memoriesUsed, readerPersonaId: turn.reader.persona?.id ?? null };
}

/** Once the exchange is stored: refreshes the rolling summary off the reply's path when it fell behind. */
function summariseWhenBehind(auth: UserAuth, modelId: string, turn: PreparedTurn, messageOrder: number) {
  if (!summaryFallsBehind(turn.context.history, turn.reader.summary?.coversThrough ?? null, messageOrder)) return;
  runInBackground("chat-summary", () => refreshSummary(auth, modelId, turn.conversationId));
}

/** Gives the quota turn back, logging rather than failing: the answer to the client matters more. */
async function returnTurn(auth: UserAuth) {
  await returnChatTurn(auth.userId).catch((error) => log.warn("could not give a chat turn back", { error }));
}

/** Runs `work`; when it fails, nothing was stored, so the user's quota turn is given back. */
export async function givingTurnBackOnFailure<T>(auth: UserAuth, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await returnTurn(auth);
    throw error;
  }
}

/** A plain JSON answer: the exchange is stored before the response is sent. */
export async function chatAsJson(auth: UserAuth, modelId: string, body: ChatBody, signal: AbortSignal) {
  const turn = await prepareTurn(auth, modelId, body);
  const { reply, chatId, messageOrder } = await givingTurnBackOnFailure(auth, async () => {
    const reply = await completeReply(turn.context.model, turn.messages, {
      temperature: body.temperature,
      maxTokens: body.maxTokens,
      signal,
    });
    const spend = chatSpendEntry(auth, turn.context.model, reply);
    const { chatId, messageOrder } = await storeExchange(auth, {
      modelId,
      conversationId: turn.conversationId,
      userMessage: body.message,
      aiResponse: reply.text,
      tokensUsed: reply.tokensUsed,
      responseTimeMs: Math.round(performance.now() - turn.started),
      usedFallback: reply.usingFallback,
      modelUsed: modelUsedFor(turn.context.model, reply),
      opening: turn.newOpening,
      spend,
    }).catch(async (error) => {
      // Answered but not stored (the persona was deleted meanwhile): the provider bills it all the same.
      await recordUnstoredSpend([spend]);
      throw error;
    });
    return { reply, chatId, messageOrder };
  });
  summariseWhenBehind(auth, modelId, turn, messageOrder);
  return {
    response: reply.text,
    conversationId: turn.conversationId,
    tokensUsed: reply.tokensUsed,
    usingFallback: reply.usingFallback,
    chatId,
    messageOrder,
    citations: turn.citations,
    ...readerFields(turn),
  };
}

/**
 * Server-Sent Events: `delta` events as the model writes, then `done` with the totals once the
 * exchange is stored (or `error`). Which model answers is settled before the first byte, so a
 * failing fine-tune still falls back; a client that disconnects cancels the provider request and
 * nothing is stored.
 */
export async function chatAsEventStream(auth: UserAuth, modelId: string, body: ChatBody, signal: AbortSignal) {
  const turn = await prepareTurn(auth, modelId, body);
  const cancel = new AbortController();
  const abortAll = AbortSignal.any([signal, cancel.signal]);
  const opened = await givingTurnBackOnFailure(auth, () =>
    openStreamedReply(turn.context.model, turn.messages, {
      temperature: body.temperature,
      maxTokens: body.maxTokens,
      signal: abortAll,
    })
  );

  let stored = false;
  // The reply's cost once the provider finished it: recorded alone if the exchange is not stored.
  let answered: SpendEntry | undefined;
  return answerAsEventStream({
    async write(send, cancelled) {
      const read = await readReply(opened, (text) => send("delta", { text }));
      if (!read) return;
      answered = chatSpendEntry(auth, turn.context.model, { ...opened, usage: read.done.usage });
      if (cancelled()) return;
      const { chatId, messageOrder } = await storeExchange(auth, {
        modelId,
        conversationId: turn.conversationId,
        userMessage: body.message,
        aiResponse: read.text,
        tokensUsed: read.done.tokensUsed,
        responseTimeMs: Math.round(performance.now() - turn.started),
        usedFallback: opened.usingFallback,
        modelUsed: modelUsedFor(turn.context.model, opened),
        opening: turn.newOpening,
        spend: answered,
      });
      stored = true;
      send("done", {
        conversationId: turn.conversationId,
        tokensUsed: read.done.tokensUsed,
        usingFallback: opened.usingFallback,
        chatId,
        messageOrder,
        citations: turn.citations,
        ...readerFields(turn),
      });
      summariseWhenBehind(auth, modelId, turn, messageOrder);
    },
    async settle() {
      if (stored) return;
      await returnTurn(auth);
      if (answered) await recordUnstoredSpend([answered]);
    },
  }, cancel, { message: "chat stream failed", fields: { modelId } });
}
