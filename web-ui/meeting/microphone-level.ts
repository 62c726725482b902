/** A microphone level in dBFS, -Infinity for silence. */
export type Level = { peakDb: number; rmsDb: number };

/**
 * Measures a microphone track's level in the browser (Web Audio
 * AnalyserNode) for the join screen's level meter. read() returns the
 * peak and RMS of the last analyser frame.
 */
export class MicrophoneLevel {
  readonly #context: AudioContext;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 2048;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(new MediaStream([track])).connect(this.#analyser);
  }

  read(): Level {
    let peak = 0;
    let sum = 0;

    this.#analyser.getFloatTimeDomainData(this.#samples);
    for (const sample of this.#samples) {
      peak = Math.max(peak, Math.abs(sample));
      sum += sample * sample;
    }

    return { peakDb: 20 * Math.log10(peak), rmsDb: 10 * Math.log10(sum / this.#samples.length) };
  }

  close(): void {
    void this.#context.close().catch(() => undefined);
  }
}
