import { useCallback, useEffect, useRef, useState } from "react";
import { type ChatExchange, type Citation, type Conversation, type MemoryUsed, StoryvoiceError } from "../../../sdk/index.ts";
import type { Rating } from "../components/RatingButtons.tsx";
import { api } from "../services.ts";
import { useRetryWhenOnline } from "./useOnline.ts";
import { rateReply } from "./rate-reply.ts";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  /** Who said it, where several personas speak (a group chat). */
  speaker?: string;
  /** The persona who said it, where several speak (a group chat): whose voice reads it aloud. */
  modelId?: string;
  /** True when a general model answered instead of the fine-tune. */
  usingFallback?: boolean;
  streaming?: boolean;
  /** The reader stopped this reply while it was being written. */
  stopped?: boolean;
  /** The stored exchange a reply belongs to (known once it is stored), for rating it. */
  chatId?: string;
  rating?: Rating;
  /** The book passages the reply could draw on (a persona whose book has text). */
  citations?: Citation[];
  /** The pinned memories the persona was given for this reply. */
  memoriesUsed?: MemoryUsed[];
  /** A message of the reader's that did not go (offline, outage): kept in view to send again. */
  unsent?: boolean;
  /** Answered in this view, not reopened: its exchange had no other reply then. */
  answeredHere?: boolean;
}

export type ChatProblem =
  | { kind: "offline" }
  | { kind: "quota"; resetAt?: Date }
  | { kind: "outage"; message: string }
  | { kind: "other"; message: string };

export function problemOf(error: unknown): ChatProblem {
  if (!navigator.onLine) return { kind: "offline" };
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
function withExchange(
  conversations: Conversation[],
  conversationId: string,
  exchange: ChatExchange,
  opening: string | null,
): Conversation[] {
  const known = conversations.find((item) => item.conversationId === conversationId);
  if (!known) return [{ conversationId, startedAt: exchange.timestamp, opening, title: null, messages: [exchange] }, ...conversations];
  return conversations.map((item) => (item === known ? { ...item, messages: [...item.messages, exchange] } : item));
}

/** Whether a message that met `problem` is worth sending again as it is (not a quota or a refusal). */
export const worthRetrying = (problem: ChatProblem) => problem.kind === "offline" || problem.kind === "outage";

/** The messages without `text`'s earlier unsent copy: a message sent again is shown once. */
export const withoutUnsent = (shown: ChatMessage[], text: string) =>
  shown.filter((item) => !(item.unsent && item.text === text));

let nextId = 0;
const localId = () => `m${++nextId}`;

/**
 * One conversation with a model: its messages, a streaming reply, and its earlier conversations.
 * `readerPersonaId`, once the reader chose who they are here, goes with each message.
 */
export function useChat(modelId: string, readerPersonaId?: string | null) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [conversationId, setConversationId] = useState<string | undefined>(undefined);
  // The open conversation's stored opening; null: the persona's greeting opens it.
  const [opening, setOpening] = useState<string | null>(null);
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
      ...withoutUnsent(shown, message),
      { id: questionId, role: "user", text: message },
      { id: replyId, role: "assistant", text: "", streaming: true },
    ]);
    const update = (change: Partial<ChatMessage>) =>
      setMessages((shown) => shown.map((item) => (item.id === replyId ? { ...item, ...change } : item)));
    try {
      let written = "";
      for await (const event of api.chatStream(modelId, { message, conversationId, ...(readerPersonaId !== undefined ? { readerPersonaId } : {}) }, controller.signal)) {
        if (event.type === "delta") {
          written += event.text;
          update({ text: written });
        } else {
          // The stored exchange's id comes with done: the reply can be rated and read aloud at once.
          update({
            streaming: false, usingFallback: event.usingFallback, citations: event.citations, chatId: event.chatId, rating: null,
            answeredHere: true,
            memoriesUsed: event.memoriesUsed,
          });
          setConversationId(event.conversationId);
          setHistory((shown) => withExchange(shown, event.conversationId, {
            chatId: event.chatId,
            user: message,
            assistant: written,
            timestamp: new Date().toISOString(),
            rating: null,
            usingFallback: event.usingFallback,
          }, opening));
        }
      }
      setLastMessage(null);
    } catch (error) {
      // Stopped by the reader: what was written stays, marked as cut short.
      if (controller.signal.aborted) {
        setMessages((shown) => shown.map((item) => (item.id === replyId && item.streaming ? { ...item, streaming: false, stopped: true } : item)));
        return;
      }
      // Nothing was stored: the reply goes; a message that may go later stays, marked not sent.
      const problem = problemOf(error);
      const keep = worthRetrying(problem);
      setMessages((shown) =>
        shown.filter((item) => item.id !== replyId && (keep || item.id !== questionId))
          .map((item) => (item.id === questionId ? { ...item, unsent: true } : item))
      );
      setProblem(problem);
    } finally {
      setSending(false);
    }
  }, [modelId, conversationId, opening, sending, readerPersonaId]);

  /** Sends the message that did not go again (its Retry, or the network coming back). */
  const retry = useCallback(() => {
    if (lastMessage) void send(lastMessage);
  }, [lastMessage, send]);

  useRetryWhenOnline(problem?.kind === "offline", retry);

  const open = useCallback((conversation: Conversation) => {
    inFlight.current?.abort();
    setProblem(null);
    setConversationId(conversation.conversationId);
    setOpening(conversation.opening ?? null);
    setMessages(conversation.messages.flatMap((exchange) => [
      { id: localId(), role: "user" as const, text: exchange.user },
      { id: localId(), role: "assistant" as const, text: exchange.assistant, chatId: exchange.chatId, rating: exchange.rating ?? null,
        usingFallback: exchange.usingFallback },
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
    setRatingError(null);
    setRatingError(await rateReply(target.chatId, rating, before, set));
  }, [messages]);

  /**
   * Opens a conversation known by its id only (one just imported, one in the address): the list is
   * read again first, then older pages until it turns up. Answers whether it was found.
   */
  const openById = useCallback(async (id: string) => {
    let found = (await loadHistory()).find((conversation) => conversation.conversationId === id);
    try {
      let cursor = found ? null : (await api.listConversations(modelId, { limit: 50 })).nextCursor;
      for (let pages = 0; !found && cursor && pages < 10; pages++) {
        const page = await api.listConversations(modelId, { limit: 50, cursor });
        found = page.conversations.find((conversation) => conversation.conversationId === id);
        cursor = page.nextCursor;
      }
    } catch {
      // Not found is said below; the chat itself still works.
    }
    if (found) open(found);
    return Boolean(found);
  }, [loadHistory, open, modelId]);

  /** Stops the reply being written (what came so far stays). */
  const stop = useCallback(() => {
    inFlight.current?.abort();
    setSending(false);
  }, []);

  /** Names a conversation (only this reader sees it); answers what went wrong, or null. */
  const rename = useCallback(async (id: string, title: string): Promise<string | null> => {
    try {
      const named = await api.nameConversation(modelId, id, title);
      setHistory((shown) => shown.map((item) => (item.conversationId === id ? { ...item, title: named.title } : item)));
      return null;
    } catch (error) {
      return `Could not rename it: ${(error as Error).message}`;
    }
  }, [modelId]);

  const startNew = useCallback(() => {
    inFlight.current?.abort();
    setProblem(null);
    setConversationId(undefined);
    setOpening(null);
    setMessages([]);
  }, []);

  return {
    messages, opening, conversationId, sending, problem, lastMessage, send, retry, stop, open, openById, startNew, history, historyLoading,
    rate, ratingError, rename, setMessages, loadHistory,
  };
}
