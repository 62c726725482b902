import type { SignalingClient } from '../signaling-client.js';
import { VoiceReturn } from './voice-return.js';
import { WebRtcPublisher, type PublishedSource } from './webrtc-publisher.js';
import { WebRtcReceiver } from './webrtc-receiver.js';

/**
 * The media of a page that sends into the room and hears voices back (the
 * remote speaker's, the interpreter's). It holds one receive transport with
 * the program picture and the voices one by one, and one send transport
 * with the page's tracks. After a media worker died, detach() keeps the
 * tracks running, and open() sends them again on new transports.
 */
export class ContributorLink {
  readonly #signaling: SignalingClient;
  readonly #hears: readonly string[];
  readonly #container: HTMLElement;
  #receiver: WebRtcReceiver | undefined;
  #publisher: WebRtcPublisher | undefined;
  #return: VoiceReturn | undefined;

  /** hears: the voices the page plays; container: where their audio elements go. */
  constructor(signaling: SignalingClient, hears: readonly string[], container: HTMLElement) {
    this.#signaling = signaling;
    this.#hears = hears;
    this.#container = container;
  }

  get open(): boolean {
    return this.#publisher !== undefined;
  }

  /**
   * Opens both transports, publishes the tracks and starts the voices.
   * Returns the picture to show: the program, or the hall camera before
   * the program is on air.
   */
  async start(tracks: ReadonlyMap<PublishedSource, MediaStreamTrack>): Promise<MediaStream> {
    const receiver = new WebRtcReceiver(this.#signaling);

    this.#receiver = receiver;

    const program = await receiver.start(['program']);
    const publisher = new WebRtcPublisher(this.#signaling);

    this.#publisher = publisher;
    await publisher.start({ receiving: true });
    for (const [source, track] of tracks) await publisher.publish(source, track);
    this.#return = new VoiceReturn(receiver, this.#hears, this.#container);
    await this.#return.start();

    return program.getVideoTracks().length > 0 ? program : receiver.replaceSource('venue-camera');
  }

  async publish(source: PublishedSource, track: MediaStreamTrack): Promise<void> {
    if (!this.#publisher) throw new Error('not sending');
    await this.#publisher.publish(source, track);
  }

  async stop(source: PublishedSource): Promise<void> {
    await this.#publisher?.stop(source);
  }

  isPublishing(source: PublishedSource): boolean {
    return this.#publisher?.isPublishing(source) ?? false;
  }

  /** Returns every audio track the page receives now, with its source: the voices it hears. */
  receivedAudio(): { source: string; track: MediaStreamTrack }[] {
    return (this.#receiver?.receivedTracks() ?? []).filter(({ track }) => track.kind === 'audio' && track.readyState === 'live');
  }

  /** Follows a source with a new producer: plays a voice, or returns the new program picture. */
  async follow(source: string): Promise<MediaStream | undefined> {
    if (this.#hears.includes(source)) {
      await this.#return?.follow(source);

      return undefined;
    }

    return source === 'program' ? this.#receiver?.replaceSource('program') : undefined;
  }

  /** Closes the transports (their media worker died) and returns the published tracks, which keep running. */
  detach(): Map<PublishedSource, MediaStreamTrack> {
    const tracks = this.#publisher?.detach() ?? new Map<PublishedSource, MediaStreamTrack>();

    this.#publisher = undefined;
    this.#closeReceiving();

    return tracks;
  }

  /** Ends everything, tracks included. */
  close(): void {
    this.#publisher?.close();
    this.#publisher = undefined;
    this.#closeReceiving();
  }

  #closeReceiving(): void {
    void this.#return?.close().catch(() => undefined);
    this.#return = undefined;
    this.#receiver?.close();
    this.#receiver = undefined;
  }
}
