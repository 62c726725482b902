/**
 * The setup screen's look at a device before going live: a camera preview
 * (an ffmpeg that writes two small JPEG pictures a second) and a microphone
 * meter (an ffmpeg with the capture's meter branch). Each runs under a
 * "preview" claim on its device and stops when the capture requests the
 * device, which waits until the process has exited.
 */

import type { Logger } from '../../appliance/log.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import type { SupervisedProcess, Supervisor } from '../../appliance/process/supervisor.js';
import { AudioLevelParser, isLevelLine, type AudioLevel } from '../audio-level.js';
import { METER, PREVIEW_FILTER, PREVIEW_OUTPUT } from '../venue-source-args.js';
import type { DeviceClaim } from './device-claims.js';
import { MultipartJpegReader } from './multipart-jpeg.js';

const GLOBAL_OPTIONS = ['-hide_banner', '-nostdin', '-nostats'];

/** Returns the preview ffmpeg's arguments: two 320 pixel wide JPEG pictures a second as mpjpeg on stdout. */
export function cameraPreviewArgs(input: string[]): string[] {
  return [
    ...GLOBAL_OPTIONS, '-loglevel', 'warning',
    ...input,
    '-an',
    '-vf', PREVIEW_FILTER,
    ...PREVIEW_OUTPUT,
    '-',
  ];
}

/** Returns the meter ffmpeg's arguments: the capture's meter branch, whose level lines need the info log level. */
export function microphoneMeterArgs(input: string[]): string[] {
  return [
    ...GLOBAL_OPTIONS, '-loglevel', 'info',
    ...input,
    '-filter_complex', `[0:a]aresample=48000,${METER}`,
    '-map', '0:a',
    '-f', 'null',
    '-',
  ];
}

type PreviewOptions = {
  supervisor: Supervisor;
  /** The preview claim on the device; released when the process has exited. */
  claim: DeviceClaim;
  /** ffmpeg input arguments from the device layer. */
  input: string[];
  logger: Logger;
};

/** State of a preview or meter process. */
export type PreviewState = 'running' | 'failed' | 'stopped';

/** One preview or meter process and its device claim. */
abstract class DevicePreviewProcess {
  readonly device: string;
  protected readonly process: SupervisedProcess;
  #state: PreviewState = 'running';
  /** The last stderr line of a failed process. */
  failure: string | undefined;

  protected constructor(options: PreviewOptions, name: string, args: string[]) {
    const { claim } = options;

    this.device = claim.device;
    this.process = options.supervisor.start({
      name,
      command: resolveFfmpegPath(),
      args,
      logContext: { device: claim.device },
      stopTimeoutMs: 2000,
      onStdout: (chunk) => this.onOutput(chunk),
      consumeStderrLine: (line) => this.onStderrLine(line),
    });
    void this.process.exited().then((exit) => {
      this.#state = exit.requested || exit.code === 0 ? 'stopped' : 'failed';
      if (this.#state === 'failed') this.failure = exit.stderr[exit.stderr.length - 1] ?? `exit code ${exit.code}`;
      claim.release();
      options.logger.debug({ device: claim.device, state: this.#state }, `${name} ended`);
    });
  }

  get state(): PreviewState {
    return this.#state;
  }

  /** Stops the process; the claim is released once it has exited. */
  async stop(): Promise<void> {
    await this.process.stop();
  }

  protected onOutput(_chunk: Buffer): void {}

  /** Sees each stderr line; returns true for data lines, which stay out of the exit log. */
  protected onStderrLine(_line: string): boolean {
    return false;
  }
}

/** A camera preview: the latest JPEG picture, two a second. */
export class CameraPreview extends DevicePreviewProcess {
  readonly #reader = new MultipartJpegReader();
  /** The latest picture, once one arrived. */
  picture: Buffer | undefined;
  pictureAt = 0;

  constructor(options: PreviewOptions) {
    super(options, 'camera-preview', cameraPreviewArgs(options.input));
  }

  protected override onOutput(chunk: Buffer): void {
    const pictures = this.#reader.push(chunk);
    const latest = pictures[pictures.length - 1];

    if (latest) {
      this.picture = latest;
      this.pictureAt = Date.now();
    }
  }
}

/** A microphone meter: the latest peak and RMS level, ten readings a second. */
export class MicrophoneMeter extends DevicePreviewProcess {
  readonly #parser = new AudioLevelParser();
  /** The latest level, once one arrived. */
  level: AudioLevel | undefined;

  constructor(options: PreviewOptions) {
    super(options, 'microphone-meter', microphoneMeterArgs(options.input));
  }

  protected override onStderrLine(line: string): boolean {
    if (!isLevelLine(line)) return false;

    const level = this.#parser.push(line);

    if (level) this.level = level;

    return true;
  }
}
