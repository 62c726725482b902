/**
 * Lists the machine's cameras (V4L2 video capture nodes with their formats,
 * sizes and rates) and microphones (ALSA capture devices by card id), and
 * chooses each one's capture mode for the target picture. A device that
 * another holder has claimed is not opened again: its last listing stays.
 */

import type { Logger } from '../../appliance/log.js';
import { alsaDeviceName, parseArecordList, parseHwParams, type AlsaHwParams } from './alsa-listing.js';
import type { DeviceClaims } from './device-claims.js';
import type { DeviceLayer } from './device-layer.js';
import {
  chooseMicrophoneInput,
  chooseVideoMode,
  type CaptureTarget,
  type MicrophoneChoice,
  type VideoModeChoice,
  type VideoModeFailure,
} from './format-choice.js';
import { checkVideoCapture, parseV4l2Listing, type V4l2Listing } from './v4l2-listing.js';
import type { CaptureInputFormat } from './v4l2-listing.js';

export type DiscoveredCamera = {
  /** The device node, such as /dev/video0. */
  node: string;
  /** The node's /dev/v4l/by-id link, which survives a reboot, or null for cameras without one. */
  stablePath: string | null;
  /** The card type from the driver, such as "HD Pro Webcam C920", else the node. */
  name: string;
  /** The USB or PCI bus position, which stays the same while the camera stays in its port. */
  busInfo: string | null;
  listing: V4l2Listing;
  choice: VideoModeChoice | VideoModeFailure;
};

export type DiscoveredMicrophone = {
  /** The claim key and the setup screen's id: CARD=<card id>,DEV=<device>. */
  key: string;
  cardId: string;
  /** The card number, which can change between boots. */
  cardNumber: number;
  name: string;
  device: number;
  params: AlsaHwParams;
  choice: MicrophoneChoice;
};

export type DiscoveryResult = {
  cameras: DiscoveredCamera[];
  microphones: DiscoveredMicrophone[];
  /** Devices that could not be listed, and commands that failed, in plain sentences. */
  problems: string[];
  /** When the discovery ran, as an ISO 8601 time. */
  at: string;
};

/** Returns the claim key of an ALSA capture device, such as CARD=Mic,DEV=0. */
export function microphoneKey(cardId: string, device: number): string {
  return `CARD=${cardId},DEV=${device}`;
}

/** Returns the last line of a command's error output, for messages. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');

  return lines[lines.length - 1]?.trim() ?? 'no output';
}

/** Returns the listing with only the formats that ffmpeg selects with this -input_format. */
export function onlyInputFormat(listing: V4l2Listing, inputFormat: CaptureInputFormat): V4l2Listing {
  return { ...listing, formats: listing.formats.filter((format) => format.inputFormat === inputFormat) };
}

export class DeviceDiscovery {
  readonly #layer: DeviceLayer;
  readonly #claims: DeviceClaims;
  readonly #logger: Logger;
  #last: DiscoveryResult | undefined;

  constructor(layer: DeviceLayer, claims: DeviceClaims, logger: Logger) {
    this.#layer = layer;
    this.#claims = claims;
    this.#logger = logger.child({ module: 'discovery' });
  }

  /** The result of the last discovery, if any ran. */
  get last(): DiscoveryResult | undefined {
    return this.#last;
  }

  /** Lists every camera and microphone and chooses their modes for the target. */
  async discover(target: CaptureTarget): Promise<DiscoveryResult> {
    const problems: string[] = [];
    const cameras = await this.#discoverCameras(target, problems);
    const microphones = await this.#discoverMicrophones(problems);
    const result = { cameras, microphones, problems, at: new Date().toISOString() };

    this.#logChanges(result);
    this.#last = result;

    return result;
  }

  /** Returns the node that a camera path names, such as /dev/video0 for a /dev/v4l/by-id link. */
  cameraNode(device: string): Promise<string> {
    return this.#layer.resolveNode(device);
  }

  /** Returns the ffmpeg input arguments that read a camera node with the chosen input options. */
  cameraInput(node: string, inputOptions: string[]): string[] {
    return this.#layer.cameraInput(node, inputOptions);
  }

  /** Returns the ffmpeg input arguments that read an ALSA device with the chosen input options. */
  microphoneInput(device: string, inputOptions: string[]): string[] {
    return this.#layer.microphoneInput(device, inputOptions);
  }

  /**
   * Lists one camera node. The caller must hold the node's claim or know it
   * is free. Throws an Error that names the node when it cannot be listed.
   */
  async listCamera(node: string): Promise<V4l2Listing> {
    const result = await this.#layer.run('v4l2-ctl', ['--device', node, '--all', '--list-formats-ext']);

    if (result.code !== 0) {
      throw new Error(`v4l2-ctl could not list ${node} (exit code ${result.code}): ${lastLine(result.stderr)}`);
    }

    return parseV4l2Listing(result.stdout);
  }

  /**
   * Reads the hardware parameters of one ALSA capture device. The caller
   * must hold its claim or know it is free, because arecord opens the device.
   */
  async listMicrophone(cardId: string, device: number): Promise<AlsaHwParams> {
    // arecord prints the parameters, then records one second of its default format into /dev/null
    // or, far more often, fails because the hardware lacks that format.
    const name = alsaDeviceName('hw', cardId, device);
    const result = await this.#layer.run('arecord', ['-D', name, '--dump-hw-params', '-d', '1', '/dev/null']);
    const params = parseHwParams(`${result.stdout}\n${result.stderr}`);

    if (params.formats.length === 0) {
      throw new Error(`arecord could not open ${name} (exit code ${result.code}): ${lastLine(result.stderr)}`);
    }

    return params;
  }

  async #discoverCameras(target: CaptureTarget, problems: string[]): Promise<DiscoveredCamera[]> {
    let nodes: string[];

    try {
      nodes = await this.#layer.listVideoNodes();
    } catch (error) {
      problems.push(`Listing the video devices failed: ${(error as Error).message}`);

      return [];
    }

    const cameras: DiscoveredCamera[] = [];
    const stablePaths = await this.#layer.listStablePaths().catch(() => new Map<string, string>());

    for (const node of nodes) {
      const claim = this.#claims.tryClaim(node, 'discovery');

      if (!claim) {
        // The capture or a preview holds the camera: keep its last listing without opening it again.
        const known = this.#last?.cameras.find((camera) => camera.node === node);

        if (known) cameras.push(known);
        continue;
      }
      try {
        const listing = await this.listCamera(node);

        if (!checkVideoCapture(listing).capturesVideo) continue;
        cameras.push({
          node,
          stablePath: stablePaths.get(node) ?? null,
          name: listing.driver?.cardType ?? node,
          busInfo: listing.driver?.busInfo ?? null,
          listing,
          choice: chooseVideoMode(listing, target),
        });
      } catch (error) {
        problems.push((error as Error).message);
      } finally {
        claim.release();
      }
    }

    return cameras;
  }

  async #discoverMicrophones(problems: string[]): Promise<DiscoveredMicrophone[]> {
    const list = await this.#layer.run('arecord', ['-l']);

    if (list.code !== 0) {
      // arecord -l exits with 1 and "no soundcards found..." on a machine without sound cards.
      if (/no soundcards found/i.test(list.stderr)) return [];
      problems.push(`arecord -l failed (exit code ${list.code}): ${lastLine(list.stderr)}`);

      return [];
    }

    const microphones: DiscoveredMicrophone[] = [];

    for (const card of parseArecordList(list.stdout)) {
      for (const pcm of card.devices) {
        const key = microphoneKey(card.id, pcm.number);
        const claim = this.#claims.tryClaim(key, 'discovery');

        if (!claim) {
          const known = this.#last?.microphones.find((microphone) => microphone.key === key);

          if (known) microphones.push(known);
          continue;
        }
        try {
          const params = await this.listMicrophone(card.id, pcm.number);

          microphones.push({
            key,
            cardId: card.id,
            cardNumber: card.number,
            name: card.name,
            device: pcm.number,
            params,
            choice: chooseMicrophoneInput(card.id, pcm.number, params),
          });
        } catch (error) {
          problems.push((error as Error).message);
        } finally {
          claim.release();
        }
      }
    }

    return microphones;
  }

  /**
   * Logs devices that appeared or disappeared since the last discovery, and
   * problems that the last discovery did not have, so that a discovery every
   * 5 s does not repeat the same warning.
   */
  #logChanges(result: DiscoveryResult): void {
    const before = this.#last;
    const cameraNodes = new Set(before?.cameras.map((camera) => camera.node));
    const microphoneKeys = new Set(before?.microphones.map((microphone) => microphone.key));

    for (const camera of result.cameras) {
      if (!cameraNodes.delete(camera.node)) {
        this.#logger.info({ node: camera.node, name: camera.name, mode: camera.choice.explanation }, 'camera found');
      }
    }
    for (const node of cameraNodes) this.#logger.info({ node }, 'camera gone');
    for (const microphone of result.microphones) {
      if (!microphoneKeys.delete(microphone.key)) {
        this.#logger.info({ device: microphone.key, name: microphone.name, path: microphone.choice.device }, 'microphone found');
      }
    }
    for (const key of microphoneKeys) this.#logger.info({ device: key }, 'microphone gone');
    for (const problem of result.problems) {
      if (!before?.problems.includes(problem)) this.#logger.warn({ problem }, 'device discovery problem');
    }
    this.#logger.debug(
      { cameras: result.cameras.length, microphones: result.microphones.length, problems: result.problems },
      'devices discovered',
    );
  }
}
