import type { useSpeech } from "../hooks/useSpeech.ts";

/** The one audio element a chat's replies are read aloud in, and why reading failed, if it did. */
export function ReplyAudio({ speech }: { speech: ReturnType<typeof useSpeech> }) {
  return (
    <>
      <audio ref={speech.audioRef} onEnded={speech.onAudioEnded} onPause={speech.onAudioPaused} aria-label="Reply read aloud" />
      {speech.error && <p className="voice-notice" role="alert">{speech.error}</p>}
    </>
  );
}
