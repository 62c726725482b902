import Hls from 'hls.js';

/**
 * Plays the HLS restream in a video element: with hls.js where Media Source
 * Extensions exist, else natively (Safari on iOS).
 */
export class HlsPlayer {
  readonly #video: HTMLVideoElement;
  #hls: Hls | undefined;

  constructor(video: HTMLVideoElement) {
    this.#video = video;
  }

  /** Starts loading the playlist; onFatal reports errors hls.js cannot recover from. */
  start(url: string, onFatal: (detail: string) => void): void {
    if (Hls.isSupported()) {
      const hls = new Hls({ liveSyncDurationCount: 3, lowLatencyMode: false });

      this.#hls = hls;
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();

          return;
        }
        onFatal(`${data.type}: ${data.details}`);
      });
      hls.loadSource(url);
      hls.attachMedia(this.#video);

      return;
    }
    this.#video.src = url;
  }

  /** The wall-clock time of the frame playing now, from the playlist's program date-time; null before it is known. */
  playingDate(): Date | null {
    return this.#hls?.playingDate ?? null;
  }

  close(): void {
    this.#hls?.destroy();
    this.#hls = undefined;
    this.#video.removeAttribute('src');
    this.#video.load();
  }
}
