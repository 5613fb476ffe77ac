/**
 * Sentences read aloud in order as they arrive: each is fetched as speech while the one before it
 * still plays (one ahead, so the next is ready when this one ends, without fetching a whole
 * reply's audio at once), and `cancel()` stops the playing audio and aborts every pending request.
 */

/** How the queue fetches and plays; the app's wires the SDK and an `<audio>` element. */
export interface SpeechQueueDeps {
  /** The sentence's audio; aborted through `signal` on cancel. */
  fetchAudio(text: string, signal: AbortSignal): Promise<Blob>;
  /** Plays to the end (resolves then), or stops at once when `signal` aborts. */
  playAudio(audio: Blob, signal: AbortSignal): Promise<void>;
  /** Every sentence was spoken and `finish()` was called. */
  onDrained?(): void;
  /** A sentence could not be fetched or played: the queue cancels itself and says why. */
  onError?(error: unknown): void;
  /** Whether audio is playing now. */
  onSpeaking?(speaking: boolean): void;
}

interface Pending {
  text: string;
  audio?: Promise<Blob>;
}

/** Sentences fetched ahead of the one playing. */
const PREFETCH = 1;

export class SpeechQueue {
  private readonly pending: Pending[] = [];
  private readonly controller = new AbortController();
  private running = false;
  private finished = false;

  constructor(private readonly deps: SpeechQueueDeps) {}

  /** True once cancelled (or failed): nothing more is fetched or played. */
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Queues a sentence; it plays after those before it. */
  enqueue(text: string): void {
    if (this.cancelled || this.finished || !text.trim()) return;
    this.pending.push({ text });
    this.prefetch();
    void this.run();
  }

  /** No more sentences will come: `onDrained` runs once the last has been heard. */
  finish(): void {
    this.finished = true;
    if (!this.running && this.pending.length === 0 && !this.cancelled) this.deps.onDrained?.();
  }

  /** Stops the audio and aborts every pending request; `onDrained` does not run. */
  cancel(): void {
    if (this.cancelled) return;
    this.controller.abort();
    this.pending.length = 0;
  }

  /** Starts fetching the head and up to PREFETCH after it. */
  private prefetch(): void {
    for (const item of this.pending.slice(0, 1 + PREFETCH)) {
      if (item.audio) continue;
      item.audio = this.deps.fetchAudio(item.text, this.controller.signal);
      item.audio.catch(() => {}); // read (and reported) when its turn comes
    }
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0 && !this.cancelled) {
        this.prefetch();
        const audio = await this.pending[0].audio!;
        if (this.cancelled) return;
        this.deps.onSpeaking?.(true);
        this.pending.shift();
        this.prefetch(); // the next one loads while this one plays
        await this.deps.playAudio(audio, this.controller.signal);
      }
    } catch (error) {
      if (this.cancelled) return;
      this.cancel();
      this.deps.onError?.(error);
      return;
    } finally {
      this.running = false;
      this.deps.onSpeaking?.(false);
    }
    if (this.finished && !this.cancelled && this.pending.length === 0) this.deps.onDrained?.();
  }
}
