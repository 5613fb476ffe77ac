import { useCallback, useEffect, useRef, useState } from "react";
import type { components } from "../../../sdk/index.ts";
import { api } from "../services.ts";
import { type ChatMessage, type ChatProblem, problemOf, withoutUnsent, worthRetrying } from "./useChat.ts";
import type { Rating } from "../components/RatingButtons.tsx";
import { useRetryWhenOnline } from "./useOnline.ts";
import { rateReply } from "./rate-reply.ts";

export type GroupStrategy = "natural" | "list" | "manual";
/** Who answers a round and how they are chosen. */
export type GroupRound = { modelIds: string[]; names: GroupParticipant[]; strategy: GroupStrategy; speaker?: string };
export type GroupParticipant = components["schemas"]["GroupParticipant"];
export type GroupConversationSummary = components["schemas"]["GroupConversationSummary"];
type GroupMessage = components["schemas"]["GroupMessage"];

let nextId = 0;
const localId = () => `g${++nextId}`;

const shown = (message: GroupMessage): ChatMessage => ({
  id: localId(),
  role: message.role,
  text: message.text,
  speaker: message.role === "user" ? undefined : message.speaker,
  modelId: message.modelId ?? undefined,
  usingFallback: message.usingFallback ?? undefined,
  // A reply's id rates it, as a one-to-one exchange's does.
  chatId: message.role === "assistant" ? message.messageId : undefined,
  rating: message.rating,
});

/**
 * One group conversation: its participants, its messages and a round of replies (JSON, not
 * streamed: each reply arrives labelled with its speaker once the round is stored).
 */
export function useGroupChat(
  conversationId: string | undefined,
  /** Called after every stored round, sent from the composer, Retry or on reconnecting alike. */
  onStored?: (conversationId: string, started: boolean) => void,
) {
  const stored = useRef(onStored);
  stored.current = onStored;
  const [id, setId] = useState(conversationId);
  const [participants, setParticipants] = useState<GroupParticipant[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loading, setLoading] = useState(Boolean(conversationId));
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<ChatProblem | null>(null);

  useEffect(() => {
    if (!conversationId) return;
    const controller = new AbortController();
    api.listGroupConversations({ conversationId }, controller.signal)
      .then((answer) => {
        if (!("conversation" in answer)) return;
        setParticipants(answer.conversation.participants);
        setMessages(answer.conversation.messages.map(shown));
      })
      .catch((failure) => { if (!controller.signal.aborted) setLoadError(failure as Error); })
      .finally(() => { if (!controller.signal.aborted) setLoading(false); });
    return () => controller.abort();
  }, [conversationId]);

  // The round that did not go, to send again on Retry or when the network is back.
  const unsent = useRef<{ text: string; round: GroupRound } | null>(null);

  /**
   * Sends a round: the conversation's id once stored, null when the message did not go but is kept
   * (marked not sent, to send again), undefined when it was refused (the composer gives it back).
   */
  const send = useCallback(async (text: string, round: GroupRound): Promise<string | null | undefined> => {
    const message = text.trim();
    if (!message || sending) return;
    const questionId = localId();
    setProblem(null);
    setSending(true);
    unsent.current = null;
    setMessages((all) => [...withoutUnsent(all, message), { id: questionId, role: "user", text: message }]);
    try {
      const answer = await api.groupChat({
        modelIds: round.modelIds,
        message,
        conversationId: id,
        strategy: round.strategy,
        speaker: round.strategy === "manual" ? round.speaker : undefined,
      });
      setId(answer.conversationId);
      setParticipants(round.names);
      setMessages((all) => [
        ...all,
        ...answer.replies.map((reply): ChatMessage => ({
          id: localId(),
          role: "assistant",
          text: reply.response,
          speaker: reply.name,
          modelId: reply.modelId,
          usingFallback: reply.usingFallback,
          chatId: reply.messageId,
          rating: null,
        })),
      ]);
      stored.current?.(answer.conversationId, !id);
      return answer.conversationId;
    } catch (error) {
      // A failed round stores nothing: a question that may go later stays, marked not sent.
      const problem = problemOf(error);
      if (worthRetrying(problem)) {
        unsent.current = { text: message, round };
        setMessages((all) => all.map((item) => (item.id === questionId ? { ...item, unsent: true } : item)));
        setProblem(problem);
        return null;
      }
      setMessages((all) => all.filter((item) => item.id !== questionId));
      setProblem(problem);
    } finally {
      setSending(false);
    }
  }, [id, sending]);

  const retry = useCallback(() => {
    if (unsent.current) void send(unsent.current.text, unsent.current.round);
  }, [send]);

  const [ratingError, setRatingError] = useState<string | null>(null);
  /** Rates a stored reply (null takes the rating back); shown at once, put back if the API refuses. */
  const rate = useCallback(async (messageId: string, rating: Rating) => {
    const target = messages.find((item) => item.id === messageId);
    if (!target?.chatId) return;
    const show = (value: Rating) =>
      setMessages((all) => all.map((item) => (item.id === messageId ? { ...item, rating: value } : item)));
    setRatingError(null);
    setRatingError(await rateReply(target.chatId, rating, target.rating ?? null, show));
  }, [messages]);

  useRetryWhenOnline(problem?.kind === "offline", retry);

  return { conversationId: id, participants, messages, loading, loadError, sending, problem, send, retry, rate, ratingError };
}

/** Your earlier group conversations, newest first. */
export function useGroupConversations() {
  const [conversations, setConversations] = useState<GroupConversationSummary[]>([]);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const answer = await api.listGroupConversations({ limit: 20 });
      if ("conversations" in answer) setConversations(answer.conversations);
    } catch {
      // The list is a convenience; the chat itself still works.
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => { void reload(); }, [reload]);
  return { conversations, loading, reload };
}
