import { useCallback, useEffect, useRef, useState } from "react";

/** The part of the Web Speech API's recognizer this app uses. */
interface Recognizer {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }> }) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  /** The reader began to speak (not every recognizer says so; a result also counts). */
  onspeechstart?: (() => void) | null;
  start(): void;
  abort(): void;
}
type RecognizerConstructor = new () => Recognizer;

/** The browser's speech recognition, standard or prefixed; undefined where it has none. */
function recognizerConstructor(): RecognizerConstructor | undefined {
  const scope = globalThis as { SpeechRecognition?: RecognizerConstructor; webkitSpeechRecognition?: RecognizerConstructor };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition;
}

const FALLBACK = "Type your messages instead; “Play reply” still reads each reply aloud.";

/** Why listening failed, in words; null for the errors that only mean "heard nothing yet". */
function unavailableBecause(error: string): string | null {
  switch (error) {
    case "no-speech":
    case "aborted":
      return null;
    case "audio-capture":
      return `Voice conversation is not available: no microphone was found. ${FALLBACK}`;
    case "network":
      return `Voice conversation is not available: the browser's speech recognition service cannot be reached. ${FALLBACK}`;
    default: // not-allowed, service-not-allowed, language-not-supported
      return `Voice conversation is not available in this browser: it does not allow speech recognition here. ${FALLBACK}`;
  }
}

export type VoiceState = "off" | "listening" | "waiting";

/**
 * Voice conversation: listens with the browser's speech recognition and hands each finished
 * utterance to `onHeard`; `listen()` again once the reply is written (it may still be read aloud:
 * `onSpeechStart` tells the reader is talking over it, to stop the reading). Where the browser
 * has no recognition, or refuses it, `notice` says so and the mode stays off.
 */
export function useVoiceConversation(onHeard: (text: string) => void, onSpeechStart?: () => void) {
  const [state, setState] = useState<VoiceState>("off");
  const [notice, setNotice] = useState<string | null>(null);
  const recognizer = useRef<Recognizer | null>(null);
  const active = useRef(false);
  const heard = useRef(onHeard);
  heard.current = onHeard;
  const speechStart = useRef(onSpeechStart);
  speechStart.current = onSpeechStart;

  const end = useCallback(() => {
    active.current = false;
    recognizer.current?.abort();
    recognizer.current = null;
    setState("off");
  }, []);

  useEffect(() => end, [end]);

  const listen = useCallback(() => {
    if (!active.current) return;
    const Constructor = recognizerConstructor();
    if (!Constructor) {
      end();
      setNotice(`Voice conversation is not available: this browser has no speech recognition. ${FALLBACK}`);
      return;
    }
    const recognition = new Constructor();
    recognition.lang = document.documentElement.lang || navigator.language || "en";
    recognition.interimResults = false;
    recognition.continuous = false;
    let said = "";
    let failed = false;
    recognition.onspeechstart = () => speechStart.current?.();
    recognition.onresult = (event) => {
      speechStart.current?.();
      said = Array.from(event.results).map((result) => result[0]?.transcript ?? "").join(" ").trim();
    };
    recognition.onerror = (event) => {
      const reason = unavailableBecause(event.error);
      if (reason) {
        failed = true;
        end();
        setNotice(reason);
      }
    };
    recognition.onend = () => {
      if (recognizer.current !== recognition || failed || !active.current) return;
      recognizer.current = null;
      if (said) {
        setState("waiting");
        heard.current(said);
      } else {
        listen(); // silence: keep listening
      }
    };
    recognizer.current = recognition;
    setState("listening");
    try {
      recognition.start();
    } catch {
      end();
      setNotice(`Voice conversation is not available in this browser: speech recognition could not start. ${FALLBACK}`);
    }
  }, [end]);

  const start = useCallback(() => {
    setNotice(null);
    active.current = true;
    listen();
  }, [listen]);

  return { state, notice, start, stop: end, listen, on: state !== "off" };
}
