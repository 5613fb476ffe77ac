/** Stops the reply being read aloud (the conversation goes on: the app is listening). */
export function StopSpeaking({ onStop }: { onStop: () => void }) {
  return (
    <button type="button" className="button small stop-speaking" onClick={onStop}>
      Stop speaking
    </button>
  );
}
