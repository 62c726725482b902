import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import type { AudioLevel } from '../../capture/audio-level.js';
import type { DeviceClaims } from '../../capture/devices/device-claims.js';
import type { DeviceLayer } from '../../capture/devices/device-layer.js';
import { CameraPreview, MicrophoneMeter } from '../../capture/devices/device-preview.js';
import type { DevicePreviews, PreviewState } from '../signaling/protocol.js';

/** A preview or meter that the setup screen has not polled for this long is stopped. */
const IDLE_MS = 8000;
/**
 * A failed preview or meter starts again on a poll at least this long after
 * it failed, doubling with each failure in a row up to MAX_RETRY_MS.
 */
const RETRY_MS = 3000;
const MAX_RETRY_MS = 60_000;
const SWEEP_MS = 2000;

/** The built-in test picture and tone, as the capture makes them, for the setup screen. */
const TEST_PATTERN_INPUT = ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=10'];
const TEST_TONE_INPUT = ['-re', '-f', 'lavfi', '-i', "aevalsrc='if(lt(mod(t,1),0.1),0.5*sin(2*PI*1000*t),0)':s=48000:c=mono"];

/**
 * A device the setup screen shows: its id on the screen, its claim key (the
 * camera node, the microphone's CARD=…,DEV=…), and its ffmpeg input, or null
 * when it has no usable mode.
 */
export type PreviewTarget = { id: string; claimKey: string; input: string[] | null; inUse: boolean };

type Running<T> = { process: T; polledAt: number; failedAt: number | null; failures: number };

/**
 * The setup screen's camera previews and microphone meters. Each runs while
 * the screen polls for it and its device is free; the capture's claim stops
 * it. While the capture holds a microphone, its meter shows the capture's
 * own level.
 */
export class DevicePreviewPool {
  readonly #supervisor: Supervisor;
  readonly #claims: DeviceClaims;
  readonly #layer: DeviceLayer;
  readonly #logger: Logger;
  readonly #cameras = new Map<string, Running<CameraPreview>>();
  readonly #meters = new Map<string, Running<MicrophoneMeter>>();
  readonly #sweep: NodeJS.Timeout;
  /** The running capture's microphone level, while an event is live. */
  captureLevel: AudioLevel | undefined;

  constructor(options: { supervisor: Supervisor; claims: DeviceClaims; layer: DeviceLayer; logger: Logger }) {
    this.#supervisor = options.supervisor;
    this.#claims = options.claims;
    this.#layer = options.layer;
    this.#logger = options.logger.child({ module: 'device-previews' });
    this.#sweep = setInterval(() => this.#stopIdle(), SWEEP_MS);
    this.#sweep.unref();
  }

  /** Returns the ffmpeg input that reads a camera for its preview. */
  cameraInput(node: string, inputOptions: string[]): string[] {
    return this.#layer.cameraInput(node, inputOptions);
  }

  microphoneInput(device: string, inputOptions: string[]): string[] {
    return this.#layer.microphoneInput(device, inputOptions);
  }

  /** Returns the test picture's and test tone's inputs. */
  static testInputs(): { camera: string[]; microphone: string[] } {
    return { camera: TEST_PATTERN_INPUT, microphone: TEST_TONE_INPUT };
  }

  /** Keeps the previews and meters of these devices running and returns their state. */
  poll(cameras: PreviewTarget[], microphones: PreviewTarget[]): DevicePreviews {
    return {
      cameras: cameras.map((target) => {
        const { state, process } = this.#keep(this.#cameras, target, (options) => new CameraPreview(options));

        return { id: target.id, state, pictureAt: process?.picture ? process.pictureAt : null, failure: process?.failure ?? null };
      }),
      microphones: microphones.map((target) => {
        const { state, process } = this.#keep(this.#meters, target, (options) => new MicrophoneMeter(options));
        const level = state === 'in-use' ? (this.captureLevel ?? null) : (process?.level ?? null);

        return { id: target.id, state, level, failure: process?.failure ?? null };
      }),
    };
  }

  /** Returns the latest preview picture of a camera, if its preview has one. */
  picture(id: string): Buffer | undefined {
    return this.#cameras.get(id)?.process.picture;
  }

  /** Stops every preview and meter and waits until they have exited. */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    await Promise.all([...this.#cameras.values(), ...this.#meters.values()].map((entry) => entry.process.stop()));
    this.#cameras.clear();
    this.#meters.clear();
  }

  #keep<T extends CameraPreview | MicrophoneMeter>(
    running: Map<string, Running<T>>,
    target: PreviewTarget,
    create: (options: ConstructorParameters<typeof CameraPreview>[0]) => T,
  ): { state: PreviewState; process: T | undefined } {
    const now = Date.now();
    const entry = running.get(target.id);
    let failures = 0;

    if (target.inUse || this.#claims.holderOf(target.claimKey) === 'capture') return { state: 'in-use', process: undefined };
    if (!target.input) return { state: 'unavailable', process: undefined };
    if (entry) {
      entry.polledAt = now;

      const state = entry.process.state;

      if (state === 'running') {
        const waiting = entry.process instanceof CameraPreview ? !entry.process.picture : !entry.process.level;

        if (!waiting) entry.failures = 0;

        return { state: waiting ? 'starting' : 'running', process: entry.process };
      }
      // A preview that the capture stopped starts again at once, a failed one after a delay.
      if (state === 'failed') {
        const delayMs = Math.min(RETRY_MS * 2 ** entry.failures, MAX_RETRY_MS);

        entry.failedAt ??= now;
        if (now - entry.failedAt < delayMs) return { state: 'failed', process: entry.process };
      }
      failures = state === 'failed' ? entry.failures + 1 : 0;
      running.delete(target.id);
    }

    // A listing command may hold the device for a moment; the next poll tries again.
    let preview: T | undefined;
    const claim = this.#claims.tryClaim(target.claimKey, 'preview', () => void preview?.stop());

    if (!claim) return { state: 'starting', process: undefined };
    try {
      preview = create({ supervisor: this.#supervisor, claim, input: target.input, logger: this.#logger });
    } catch (error) {
      claim.release();
      throw error;
    }
    running.set(target.id, { process: preview, polledAt: now, failedAt: null, failures });
    this.#logger.info({ device: target.id, failures }, 'preview started');

    return { state: 'starting', process: preview };
  }

  #stopIdle(): void {
    const now = Date.now();

    for (const running of [this.#cameras, this.#meters] as Map<string, Running<CameraPreview | MicrophoneMeter>>[]) {
      for (const [id, entry] of running) {
        if (now - entry.polledAt < IDLE_MS) continue;
        running.delete(id);
        if (entry.process.state === 'running') this.#logger.info({ device: id }, 'preview stopped: the setup screen is closed');
        void entry.process.stop();
      }
    }
  }
}
