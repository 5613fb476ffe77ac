import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import type { SpeakInput, SpeechOptions } from "../../../sdk/index.ts";
import { api } from "../services.ts";
import { playOn } from "../voice/play-audio.ts";
import { SentenceSplitter } from "../voice/sentences.ts";
import { SpeechQueue } from "../voice/speech-queue.ts";
import type { ChatMessage, ChatProblem } from "./useChat.ts";
import { useVoiceConversation } from "./useVoiceConversation.ts";

/** What a voice conversation needs of the chat screen. */
export interface VoiceChatInput {
  modelId: string;
  messages: ChatMessage[];
  sending: boolean;
  problem: ChatProblem | null;
  send(text: string): unknown;
  speechOptions: SpeechOptions | null;
  /** The page's "Reply read aloud" player. */
  audioRef: RefObject<HTMLAudioElement | null>;
}

/**
 * Voice conversation that keeps pace: each sentence of the streaming reply is read aloud as soon
 * as it is whole (in order, the next fetched while one plays), and once the reply is written the
 * app listens again, so the reader can talk over the reading: that, or `interrupt()` (the Stop
 * button), stops the audio and every pending speech request.
 */
export function useVoiceChat({ modelId, messages, sending, problem, send, speechOptions, audioRef }: VoiceChatInput) {
  const [speaking, setSpeaking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queue = useRef<SpeechQueue | null>(null);
  // The reply being read: its id, the text already split, and the splitter holding the rest.
  const reading = useRef<{ id: string; fed: number; splitter: SentenceSplitter; done: boolean } | null>(null);

  const interrupt = useCallback(() => {
    queue.current?.cancel();
    queue.current = null;
    setSpeaking(false);
  }, []);

  const voice = useVoiceConversation((heard) => {
    interrupt();
    void send(heard);
  }, interrupt);
  const { state, listen, stop } = voice;

  const newQueue = useCallback((maxCharacters: number) =>
    new SpeechQueue({
      fetchAudio: (text, signal) =>
        api.speak(modelId, { text: text.slice(0, maxCharacters), format: "wav" } as SpeakInput, signal),
      playAudio: (audio, signal) => audioRef.current ? playOn(audioRef.current, audio, signal) : Promise.resolve(),
      onSpeaking: setSpeaking,
      onError: (failure) => setError(`Could not read the reply aloud: ${(failure as Error).message}`),
    }), [modelId, audioRef]);

  // Feed the streaming reply to the queue, sentence by sentence; listen again once it is written.
  const reply = messages.at(-1);
  useEffect(() => {
    if (state !== "waiting") return;
    if (problem) {
      interrupt();
      stop();
      return;
    }
    if (!reply || reply.role !== "assistant") return;
    if (reading.current?.id !== reply.id) {
      if (!sending && !reply.streaming) return; // the reply before the one asked for
      interrupt();
      setError(null);
      reading.current = { id: reply.id, fed: 0, splitter: new SentenceSplitter(), done: false };
      if (speechOptions?.configured) queue.current = newQueue(speechOptions.maxCharacters);
    }
    const current = reading.current;
    if (current.done) return;
    const sentences = current.splitter.push(reply.text.slice(current.fed));
    current.fed = reply.text.length;
    const finished = !reply.streaming && !sending;
    if (finished) sentences.push(...current.splitter.flush());
    for (const sentence of sentences) queue.current?.enqueue(sentence);
    if (finished) {
      current.done = true;
      queue.current?.finish();
      listen();
    }
  }, [state, problem, reply, sending, speechOptions, newQueue, interrupt, stop, listen]);

  useEffect(() => interrupt, [interrupt]);

  const end = useCallback(() => {
    interrupt();
    stop();
  }, [interrupt, stop]);

  return { ...voice, stop: end, speaking, interrupt, error };
}
