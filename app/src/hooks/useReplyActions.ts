import { useCallback, useEffect, useState } from "react";
import type { ChatAlternative, NewReplyInput } from "../../../sdk/index.ts";
import type { ChatMessage } from "./useChat.ts";
import { api } from "../services.ts";

/** What the reply actions need of a conversation (`useChat`'s own state). */
export interface ReplyActionsChat {
  messages: ChatMessage[];
  setMessages: (change: (shown: ChatMessage[]) => ChatMessage[]) => void;
  loadHistory: () => Promise<unknown>;
  startNew: () => void;
}

/**
 * Regenerate, edit, continue, move between replies and rewind, for the conversation's stored
 * replies. The last reply's alternatives are read once per exchange of a reopened conversation (so
 * "‹ 2/3 ›" shows there too) and after each action; a reply just answered has none to read.
 */
export function useReplyActions(chat: ReplyActionsChat) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ chatId: string; message: string } | null>(null);
  const [alternatives, setAlternatives] = useState<{ chatId: string; list: ChatAlternative[] } | null>(null);
  const last = chat.messages.at(-1);
  const lastChatId = last?.role === "assistant" && !last.streaming ? last.chatId : undefined;

  const refresh = useCallback(async (chatId: string) => {
    const { alternatives: list } = await api.listAlternatives(chatId);
    setAlternatives({ chatId, list });
  }, []);

  useEffect(() => {
    // A reply answered in this view is its exchange's only one: there is nothing to read.
    if (!lastChatId || alternatives?.chatId === lastChatId || last?.answeredHere) return;
    refresh(lastChatId).catch(() => setAlternatives({ chatId: lastChatId, list: [] }));
  }, [lastChatId, alternatives?.chatId, last?.answeredHere, refresh]);

  /** Shows the exchange of `chatId` with these words: its reply and the message before it. */
  const show = useCallback((chatId: string, message: string, response: string, rating: ChatMessage["rating"]) => {
    chat.setMessages((shown) => shown.map((item, index) => {
      if (item.chatId === chatId) return { ...item, text: response, rating };
      if (shown[index + 1]?.chatId === chatId && item.role === "user") return { ...item, text: message };
      return item;
    }));
  }, [chat.setMessages]);

  /** Runs an action on the exchange of `chatId`; a failure is shown beside that reply. */
  const run = useCallback(async (chatId: string, work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      void chat.loadHistory();
    } catch (caught) {
      setError({ chatId, message: (caught as Error).message });
    } finally {
      setBusy(false);
    }
  }, [chat.loadHistory]);

  const answerAgain = useCallback((chatId: string, input: NewReplyInput) => run(chatId, async () => {
    const reply = await api.answerAgain(chatId, input);
    show(chatId, reply.message, reply.response, null);
    await refresh(chatId);
  }), [run, show, refresh]);

  const choose = useCallback((chatId: string, alternativeId: string) => run(chatId, async () => {
    const chosen = await api.chooseAlternative(chatId, alternativeId);
    show(chatId, chosen.message, chosen.response, chosen.rating ?? null);
    await refresh(chatId);
  }), [run, show, refresh]);

  const rewind = useCallback((chatId: string) => run(chatId, async () => {
    await api.rewindConversation(chatId);
    const at = chat.messages.findIndex((item) => item.chatId === chatId);
    // The reader's message before the reply goes too; with nothing left the conversation is gone.
    if (at <= 1) chat.startNew();
    else chat.setMessages((shown) => shown.slice(0, at - 1));
  }), [run, chat.messages, chat.setMessages, chat.startNew]);

  return {
    busy, error, lastChatId,
    alternatives: alternatives && alternatives.chatId === lastChatId ? alternatives.list : [],
    regenerate: (chatId: string, hint?: string) => answerAgain(chatId, { action: "regenerate", ...(hint ? { hint } : {}) }),
    edit: (chatId: string, message: string) => answerAgain(chatId, { action: "edit", message }),
    continueReply: (chatId: string) => answerAgain(chatId, { action: "continue" }),
    choose, rewind,
  };
}
