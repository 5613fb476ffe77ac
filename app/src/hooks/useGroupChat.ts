import { useCallback, useEffect, useState } from "react";
import type { components } from "../../../sdk/index.ts";
import { api } from "../services.ts";
import { type ChatMessage, type ChatProblem, problemOf } from "./useChat.ts";

export type GroupStrategy = "natural" | "list" | "manual";
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
});

/**
 * One group conversation: its participants, its messages and a round of replies (JSON, not
 * streamed: each reply arrives labelled with its speaker once the round is stored).
 */
export function useGroupChat(conversationId: string | undefined) {
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

  const send = useCallback(async (
    text: string,
    round: { modelIds: string[]; names: GroupParticipant[]; strategy: GroupStrategy; speaker?: string },
  ): Promise<string | undefined> => {
    const message = text.trim();
    if (!message || sending) return;
    const questionId = localId();
    setProblem(null);
    setSending(true);
    setMessages((all) => [...all, { id: questionId, role: "user", text: message }]);
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
          usingFallback: reply.usingFallback,
        })),
      ]);
      return answer.conversationId;
    } catch (error) {
      // A failed round stores nothing: take the question back out and say why.
      setMessages((all) => all.filter((item) => item.id !== questionId));
      setProblem(problemOf(error));
    } finally {
      setSending(false);
    }
  }, [id, sending]);

  return { conversationId: id, participants, messages, loading, loadError, sending, problem, send };
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
