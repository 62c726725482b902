/**
 * The venue capture's camera and microphone: claims them for the capture
 * and chooses their ffmpeg input options from their listings before each
 * start, so that a replugged device is listed again. A device that is
 * missing or offers nothing usable becomes a problem for the console. The
 * capture then starts with the configured options, fails, and retries.
 */

import { EventEmitter } from 'node:events';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import type { Logger } from '../../appliance/log.js';
import type { DeviceClaim, DeviceClaims } from './device-claims.js';
import { microphoneKey, onlyInputFormat, type DeviceDiscovery } from './device-discovery.js';
import { chooseMicrophoneInput, chooseVideoMode } from './format-choice.js';

/** Reasons why the camera or the microphone cannot be captured, each with what to do; absent while there is none. */
export type VenueDeviceProblems = { camera?: string; microphone?: string };

export type VenueDevicesEvents = { problems: [VenueDeviceProblems] };

export type VenueDevicesOptions = {
  discovery: DeviceDiscovery;
  claims: DeviceClaims;
  venue: PodiumConfig['venue'];
  logger: Logger;
};

/** An ALSA device named by card id, such as plughw:CARD=Mic,DEV=0 or hw:CARD=Mic. */
const CARD_DEVICE = /CARD=([A-Za-z0-9_-]{1,15})(?:,DEV=(\d+))?/;

/** Returns the claim key (CARD=Mic,DEV=0) of an ALSA device named by card id, else undefined. */
export function microphoneKeyOf(device: string): string | undefined {
  const card = CARD_DEVICE.exec(device);

  return card ? microphoneKey(card[1]!, Number(card[2] ?? 0)) : undefined;
}

/** Removes "-f alsa" from the chooser's input options, for callers that set the input format themselves. */
export function withoutInputFormat(options: string[]): string[] {
  return options.filter((option, index, all) => option !== '-f' && all[index - 1] !== '-f');
}

const WHAT_TO_DO = 'Connect it, or choose another device in the setup screen of the console.';

/** Returns an error's message without its final period, to continue it with a sentence of ours. */
function reason(error: unknown): string {
  return (error as Error).message.replace(/\.+$/, '');
}

export class VenueDevices extends EventEmitter<VenueDevicesEvents> {
  readonly #options: VenueDevicesOptions;
  readonly #logger: Logger;
  readonly #claims: DeviceClaim[] = [];
  #problems: VenueDeviceProblems = {};

  constructor(options: VenueDevicesOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger.child({ module: 'venue-devices' });
  }

  get problems(): VenueDeviceProblems {
    return { ...this.#problems };
  }

  /**
   * Claims the camera and the microphone for the capture. It waits until a
   * setup screen preview or meter on them has stopped and exited.
   */
  async claim(): Promise<void> {
    const { video, audio } = this.#options.venue;

    if (video.source === 'v4l2') {
      const node = await this.#options.discovery.cameraNode(video.device);

      this.#claims.push(await this.#options.claims.claim(node, 'capture'));
    }

    const key = microphoneKeyOf(audio.device);

    if (audio.source === 'alsa' && key) this.#claims.push(await this.#options.claims.claim(key, 'capture'));
  }

  /** Releases the claims. Call it after the capture processes have exited. */
  release(): void {
    for (const claim of this.#claims.splice(0)) claim.release();
  }

  /**
   * Returns the camera's ffmpeg input arguments from the device layer, with
   * the mode for the configured size and rate (-input_format, -video_size,
   * -framerate), or undefined for the test pattern and for a camera that is
   * missing or offers no usable mode.
   */
  async chooseCameraInput(): Promise<string[] | undefined> {
    const { video } = this.#options.venue;

    if (video.source !== 'v4l2') return undefined;

    let listing;

    try {
      listing = await this.#options.discovery.listCamera(video.device);
    } catch (error) {
      this.#setProblem('camera', `Camera ${video.device} is not available: ${reason(error)}. ${WHAT_TO_DO}`);

      return undefined;
    }
    if (video.inputFormat !== 'auto') listing = onlyInputFormat(listing, video.inputFormat);

    const choice = chooseVideoMode(listing, { width: video.width, height: video.height, fps: video.fps });

    if (!choice.ok) {
      const override = video.inputFormat === 'auto' ? '' : ` with venue.video.inputFormat ${video.inputFormat}`;

      this.#setProblem(
        'camera',
        `Camera ${video.device} offers no usable mode${override}: ${choice.explanation} ` +
          `Choose another camera in the setup screen${override ? ', or set venue.video.inputFormat to auto' : ''}.`,
      );

      return undefined;
    }
    this.#logger.info({ device: video.device, inputOptions: choice.inputOptions, explanation: choice.explanation }, 'camera mode chosen');
    this.#setProblem('camera', undefined);

    return this.#options.discovery.cameraInput(await this.#options.discovery.cameraNode(video.device), choice.inputOptions);
  }

  /**
   * Returns the microphone's ALSA device name (hw or plughw by card id) and
   * its ffmpeg input arguments from the device layer, or undefined for the test tone, for a device not
   * named by card id (used as configured), and for a missing microphone.
   */
  async chooseMicrophoneInput(): Promise<{ device: string; input: string[] } | undefined> {
    const { audio } = this.#options.venue;
    const card = CARD_DEVICE.exec(audio.device);

    if (audio.source !== 'alsa') return undefined;
    if (!card) {
      this.#logger.info({ device: audio.device }, 'microphone not named by card id, so it is opened as configured');

      return undefined;
    }

    const cardId = card[1]!;
    const device = Number(card[2] ?? 0);
    let params;

    try {
      params = await this.#options.discovery.listMicrophone(cardId, device);
    } catch (error) {
      this.#setProblem('microphone', `Microphone ${audio.device} is not available: ${reason(error)}. ${WHAT_TO_DO}`);

      return undefined;
    }

    const choice = chooseMicrophoneInput(cardId, device, params);
    const inputOptions = withoutInputFormat(choice.inputOptions);

    this.#logger.info({ device: choice.device, inputOptions, explanation: choice.explanation }, 'microphone path chosen');
    this.#setProblem('microphone', undefined);

    return { device: choice.device, input: this.#options.discovery.microphoneInput(choice.device, inputOptions) };
  }

  #setProblem(device: keyof VenueDeviceProblems, problem: string | undefined): void {
    if (this.#problems[device] === problem) return;

    const { [device]: _previous, ...others } = this.#problems;

    this.#problems = problem === undefined ? others : { ...others, [device]: problem };
    if (problem) this.#logger.warn({ device, problem }, 'venue device problem');
    else this.#logger.info({ device }, 'venue device problem solved');
    this.emit('problems', this.problems);
  }
}
