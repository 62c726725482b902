import type { WebRtcReceiver } from './webrtc-receiver.js';

/**
 * Plays a speaker's return: the event's voices one by one, each in its own
 * audio element (so that the browser plays every one of them, however it
 * handles several audio tracks in one stream). Podium never sends a page
 * the sources it publishes, so the speaker's own voice is not among them
 * (mix-minus).
 */
export class VoiceReturn {
  readonly #receiver: WebRtcReceiver;
  readonly #sources: readonly string[];
  readonly #container: HTMLElement;
  readonly #players = new Map<string, HTMLAudioElement>();
  #closed = false;
  /** True when the browser refused to play a voice without a user gesture (no autoplay policy flag). */
  blocked = false;

  /** container: where the audio elements go; sources: the voices to play. */
  constructor(receiver: WebRtcReceiver, sources: readonly string[], container: HTMLElement) {
    this.#receiver = receiver;
    this.#sources = sources;
    this.#container = container;
  }

  /** Receives and plays every voice the room has now. */
  async start(): Promise<void> {
    await this.#consume([...this.#sources]);
  }

  /** Plays a voice that came into the room, or got a new producer, after the start. */
  async follow(source: string): Promise<void> {
    if (this.#sources.includes(source)) await this.#consume([source]);
  }

  /** Plays the voices again after a user gesture, when autoplay blocked them. */
  async resume(): Promise<void> {
    this.blocked = false;
    await Promise.all([...this.#players.entries()].map(([source, player]) => this.#play(source, player)));
  }

  /** The sources played now. */
  get playing(): string[] {
    return [...this.#players.keys()];
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const player of this.#players.values()) {
      player.srcObject = null;
      player.remove();
    }
    this.#players.clear();
    await this.#receiver.closeExtra(this.#sources);
  }

  async #consume(sources: string[]): Promise<void> {
    if (this.#closed) return;

    const received = await this.#receiver.consumeExtra(sources);

    for (const { source, track } of received) {
      let player = this.#players.get(source);

      if (!player) {
        player = document.createElement('audio');
        player.dataset.source = source;
        player.autoplay = true;
        this.#container.append(player);
        this.#players.set(source, player);
      }
      player.srcObject = new MediaStream([track]);
      await this.#play(source, player);
    }
  }

  async #play(source: string, player: HTMLAudioElement): Promise<void> {
    try {
      await player.play();
    } catch (error) {
      if ((error as DOMException).name === 'NotAllowedError') this.blocked = true;
      console.warn(`podium: cannot play the ${source} return: ${(error as Error).message}`);
    }
  }
}
