/**
 * Plays `audio` on the element until it ends; an abort pauses it and resolves at once. The
 * element is the page's one "Reply read aloud" player, so a reader's own controls act on it too.
 */
export async function playOn(element: HTMLAudioElement, audio: Blob, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const url = URL.createObjectURL(audio);
  try {
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        element.removeEventListener("ended", ended);
        element.removeEventListener("error", failed);
        signal.removeEventListener("abort", aborted);
      };
      const ended = () => (cleanup(), resolve());
      const failed = () => (cleanup(), reject(new Error("the audio could not be played")));
      const aborted = () => (element.pause(), cleanup(), resolve());
      element.addEventListener("ended", ended);
      element.addEventListener("error", failed);
      signal.addEventListener("abort", aborted);
      element.src = url;
      element.play().catch((error: unknown) => (cleanup(), signal.aborted ? resolve() : reject(error)));
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
