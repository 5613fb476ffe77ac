import { useCallback, useEffect, useRef, useState } from "react";
import type { SpeakInput, SpeechOptions } from "../../../sdk/index.ts";
import { api } from "../services.ts";

let options: Promise<SpeechOptions | null> | undefined;

/** What this deployment can speak, asked once per page: null when it cannot be read. */
export function loadSpeechOptions(): Promise<SpeechOptions | null> {
  options ??= api.speechOptions().catch(() => {
    options = undefined; // ask again next time
    return null;
  });
  return options;
}

/** The speech options once known (null before, or when speech cannot be read). */
export function useSpeechOptions(): SpeechOptions | null {
  const [value, setValue] = useState<SpeechOptions | null>(null);
  useEffect(() => {
    let live = true;
    void loadSpeechOptions().then((loaded) => live && setValue(loaded));
    return () => {
      live = false;
    };
  }, []);
  return value;
}

/** The audio format the app asks for: WAV plays everywhere and streams from the simulator too. */
const FORMAT = "wav" as const;

/**
 * Replies read aloud with one `<audio>` element (`audioRef`): `play(key, source)` fetches the
 * persona's voice through the SDK and plays it, `stop()` stops it. One reply plays at a time;
 * `playing` and `loading` name which. In a group each reply names its own persona (`speakerId`).
 */
export function useSpeech(modelId?: string) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef<AbortController | null>(null);
  const url = useRef<string | null>(null);
  const ended = useRef<(() => void) | null>(null);

  const release = useCallback(() => {
    if (url.current) URL.revokeObjectURL(url.current);
    url.current = null;
  }, []);

  const stop = useCallback(() => {
    request.current?.abort();
    request.current = null;
    audioRef.current?.pause();
    setPlaying(null);
    setLoading(null);
    ended.current = null;
  }, []);

  useEffect(() => () => {
    request.current?.abort();
    release();
  }, [release]);

  /** Plays `source` as `key`; `onEnded` runs once it has been heard to the end. */
  const play = useCallback(async (key: string, source: Omit<SpeakInput, "format">, onEnded?: () => void, speakerId = modelId) => {
    stop();
    const audio = audioRef.current;
    if (!audio || !speakerId) return;
    const controller = new AbortController();
    request.current = controller;
    setError(null);
    setLoading(key);
    try {
      const blob = await api.speak(speakerId, { ...source, format: FORMAT } as SpeakInput, controller.signal);
      if (controller.signal.aborted) return;
      release();
      url.current = URL.createObjectURL(blob);
      audio.src = url.current;
      ended.current = onEnded ?? null;
      setLoading(null);
      setPlaying(key);
      await audio.play();
    } catch (failure) {
      if (controller.signal.aborted) return;
      setLoading(null);
      setPlaying(null);
      const message = (failure as Error).message;
      setError((failure as { code?: string }).code === "speech_not_configured"
        ? "Replies cannot be read aloud here: speech is not set up."
        : `Could not read the reply aloud: ${message}`);
    }
  }, [modelId, release, stop]);

  const onAudioEnded = useCallback(() => {
    setPlaying(null);
    const next = ended.current;
    ended.current = null;
    next?.();
  }, []);

  /** Paused from elsewhere (media keys, the system): the reply's button plays it again. */
  const onAudioPaused = useCallback(() => setPlaying(null), []);

  return { audioRef, play, stop, playing, loading, error, onAudioEnded, onAudioPaused };
}
