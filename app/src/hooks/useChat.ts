import { useCallback, useEffect, useRef, useState } from "react";
import { type ChatExchange, type Citation, type Conversation, StoryvoiceError } from "../../../sdk/index.ts";
import type { Rating } from "../components/RatingButtons.tsx";
import { api } from "../services.ts";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  /** Who said it, where several personas speak (a group chat). */
  speaker?: string;
  /** True when a general model answered instead of the fine-tune. */
  usingFallback?: boolean;
  streaming?: boolean;
  /** The stored exchange a reply belongs to (known once it is stored), for rating it. */
  chatId?: string;
  rating?: Rating;
  /** The book passages the reply could draw on (a persona whose book has text). */
  citations?: Citation[];
}

export type ChatProblem =
  | { kind: "quota"; resetAt?: Date }
  | { kind: "outage"; message: string }
  | { kind: "other"; message: string };

export function problemOf(error: unknown): ChatProblem {
  if (error instanceof StoryvoiceError) {
    if (error.status === 429) return { kind: "quota", resetAt: error.resetAt };
    if (error.retryable) return { kind: "outage", message: error.message };
    return { kind: "other", message: error.message };
  }
  return { kind: "other", message: "Something went wrong. Please try again." };
}

/**
 * The conversation list with a just-stored exchange added (a new conversation goes first), so the
 * list stays current without being read again after every reply.
 */
function withExchange(conversations: Conversation[], conversationId: string, exchange: ChatExchange): Conversation[] {
  const known = conversations.find((item) => item.conversationId === conversationId);
  if (!known) return [{ conversationId, startedAt: exchange.timestamp, messages: [exchange] }, ...conversations];
  return conversations.map((item) => (item === known ? { ...item, messages: [...item.messages, exchange] } : item));
}

let nextId = 0;
const localId = () => `m${++nextId}`;

/** One conversation with a model: its messages, a streaming reply, and its earlier conversations. */
export function useChat(modelId: string) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ChatProblem | null>(null);
  const [lastMessage, setLastMessage] = useState<string | null>(null);
  const [history, setHistory] = useState<Conversation[]>([]);
  const [historyLoading, setHistoryLoading] = useState(true);
  const inFlight = useRef<AbortController | null>(null);

  const loadHistory = useCallback(async () => {
    setHistoryLoading(true);
    try {
      const { conversations } = await api.listConversations(modelId, { limit: 20 });
      setHistory(conversations);
      return conversations;
    } catch {
      // The list is a convenience; the chat itself still works.
      return [];
    } finally {
      setHistoryLoading(false);
    }
  }, [modelId]);

  useEffect(() => {
    void loadHistory();
    return () => inFlight.current?.abort();
  }, [loadHistory]);

  const send = useCallback(async (text: string) => {
    const message = text.trim();
    if (!message || sending) return;
    const controller = new AbortController();
    inFlight.current = controller;
    const replyId = localId();
    const questionId = localId();
    setProblem(null);
    setLastMessage(message);
    setSending(true);
    setMessages((shown) => [
      ...shown,
      { id: questionId, role: "user", text: message },
      { id: replyId, role: "assistant", text: "", streaming: true },
    ]);
    const update = (change: Partial<ChatMessage>) =>
      setMessages((shown) => shown.map((item) => (item.id === replyId ? { ...item, ...change } : item)));
    try {
      let written = "";
      for await (const event of api.chatStream(modelId, { message, conversationId }, controller.signal)) {
        if (event.type === "delta") {
          written += event.text;
          update({ text: written });
        } else {
          // The stored exchange's id comes with done: the reply can be rated and read aloud at once.
          update({ streaming: false, usingFallback: event.usingFallback, citations: event.citations, chatId: event.chatId, rating: null });
          setConversationId(event.conversationId);
          setHistory((shown) => withExchange(shown, event.conversationId, {
            chatId: event.chatId,
            user: message,
            assistant: written,
            timestamp: new Date().toISOString(),
            rating: null,
          }));
        }
      }
      setLastMessage(null);
    } catch (error) {
      if (controller.signal.aborted) return;
      // Nothing was stored: take the exchange back out and say why.
      setMessages((shown) => shown.filter((item) => item.id !== replyId && item.id !== questionId));
      setProblem(problemOf(error));
    } finally {
      setSending(false);
    }
  }, [modelId, conversationId, sending]);

  const open = useCallback((conversation: Conversation) => {
    inFlight.current?.abort();
    setProblem(null);
    setConversationId(conversation.conversationId);
    setMessages(conversation.messages.flatMap((exchange) => [
      { id: localId(), role: "user" as const, text: exchange.user },
      { id: localId(), role: "assistant" as const, text: exchange.assistant, chatId: exchange.chatId, rating: exchange.rating ?? null },
    ]));
  }, []);

  const [ratingError, setRatingError] = useState<string | null>(null);
  /** Rates a stored reply (null takes the rating back); shown at once, put back if the API refuses. */
  const rate = useCallback(async (messageId: string, rating: Rating) => {
    const target = messages.find((item) => item.id === messageId);
    if (!target?.chatId) return;
    const before = target.rating ?? null;
    const set = (value: Rating) => {
      setMessages((shown) => shown.map((item) => (item.id === messageId ? { ...item, rating: value } : item)));
      // The list keeps the rating too, so reopening the conversation shows it.
      setHistory((shown) => shown.map((conversation) => ({
        ...conversation,
        messages: conversation.messages.map((exchange) => (exchange.chatId === target.chatId ? { ...exchange, rating: value } : exchange)),
      })));
    };
    set(rating);
    setRatingError(null);
    try {
      set((await api.rateExchange(target.chatId, rating)).rating ?? null);
    } catch (error) {
      set(before);
      setRatingError(`Could not save the rating: ${(error as Error).message}`);
    }
  }, [messages]);

  /** Opens a conversation known by its id only (one just imported): the list is read again first. */
  const openById = useCallback(async (id: string) => {
    const found = (await loadHistory()).find((conversation) => conversation.conversationId === id);
    if (found) open(found);
  }, [loadHistory, open]);

  const startNew = useCallback(() => {
    inFlight.current?.abort();
    setProblem(null);
    setConversationId(undefined);
    setMessages([]);
  }, []);

  return {
    messages, conversationId, sending, problem, lastMessage, send, open, openById, startNew, history, historyLoading,
    rate, ratingError, setMessages, loadHistory,
  };
}
