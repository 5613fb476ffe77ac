import type { ReplySpeech } from "../components/MessageBubble.tsx";
import type { ChatMessage } from "./useChat.ts";
import { useSpeech, useSpeechOptions } from "./useSpeech.ts";

/**
 * The Play button of a chat's replies (one-to-one, read-along, group): `speechFor(message)` is the
 * button's state and action, or undefined where this deployment cannot speak or no persona is known.
 * Mount `<ReplyAudio speech={speech} />` once for the audio itself.
 */
export function useReplySpeech(modelId?: string) {
  const options = useSpeechOptions();
  const speech = useSpeech(modelId);

  /** `speakerId` is the persona whose voice reads it: the chat's own unless a group names another. */
  const speechFor = (message: ChatMessage, speakerId = modelId): ReplySpeech | undefined => {
    if (!options?.configured || !speakerId) return undefined;
    // The words as shown; a stored one-to-one reply too long to send is read from the server by its
    // id (a group reply, naming its persona, is not an exchange the speech endpoint reads).
    const source = message.text.length > options.maxCharacters && message.chatId && !message.modelId
      ? { chatId: message.chatId }
      : { text: message.text.slice(0, options.maxCharacters) };
    return {
      state: speech.playing === message.id ? "playing" : speech.loading === message.id ? "loading" : "idle",
      onPlay: () => void speech.play(message.id, source, undefined, speakerId),
      onStop: speech.stop,
    };
  };

  return { options, speech, speechFor };
}
