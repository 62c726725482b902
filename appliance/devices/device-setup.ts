import type { PodiumConfig } from '../config/schema.js';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import type { Store } from '../store/store.js';
import type {
  DevicePreviews,
  DeviceSelection,
  DeviceSetupInfo,
  SetupCamera,
  SetupMicrophone,
} from '../signaling/protocol.js';
import type { AudioLevel } from '../../capture/audio-level.js';
import { DeviceClaims } from '../../capture/devices/device-claims.js';
import { DeviceDiscovery, type DiscoveredCamera, type DiscoveryResult } from '../../capture/devices/device-discovery.js';
import type { DeviceLayer } from '../../capture/devices/device-layer.js';
import type { V4l2Listing } from '../../capture/devices/v4l2-listing.js';
import { microphoneKeyOf, withoutInputFormat } from '../../capture/devices/venue-devices.js';
import { DevicePreviewPool, type PreviewTarget } from './device-previews.js';

/** The setting under which the store keeps the chosen venue devices. */
export const SELECTION_KEY = 'venueDevices';
const TEST_PATTERN = 'test-pattern';
const TEST_TONE = 'test-tone';
/** While the setup screen is open, the devices are discovered again this often. */
const DISCOVERY_INTERVAL_MS = 5000;
/** The setup screen counts as closed when it has not asked for anything for this long. */
const SCREEN_IDLE_MS = 15_000;

/**
 * The console's setup screen: discovers cameras and microphones on request
 * and every 5 s while the screen is open, runs their previews and meters,
 * and stores which camera and microphone events use. The configuration's
 * venue devices are the default until staff choose.
 */
export class DeviceSetup {
  readonly claims: DeviceClaims;
  readonly discovery: DeviceDiscovery;
  readonly #previews: DevicePreviewPool;
  readonly #config: PodiumConfig;
  readonly #store: Store;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #requestedAt = 0;
  #running: Promise<DiscoveryResult> | undefined;
  /** Returns the running capture's latest camera picture, which the screen shows while the capture holds the camera. */
  capturePicture: () => { picture: Buffer; at: number } | undefined = () => undefined;

  constructor(options: { layer: DeviceLayer; supervisor: Supervisor; config: PodiumConfig; store: Store; logger: Logger }) {
    this.#logger = options.logger.child({ module: 'device-setup' });
    this.claims = new DeviceClaims(options.logger);
    this.discovery = new DeviceDiscovery(options.layer, this.claims, options.logger);
    this.#previews = new DevicePreviewPool({ ...options, claims: this.claims });
    this.#config = options.config;
    this.#store = options.store;
  }

  /** Receives the running capture's microphone level, which its meter shows while the capture holds it. */
  set captureLevel(level: AudioLevel | undefined) {
    this.#previews.captureLevel = level;
  }

  /** Returns the device lists, discovering first when none ran yet, and keeps discovering while the screen polls. */
  async info(): Promise<DeviceSetupInfo> {
    this.#screenActive();

    const result = this.discovery.last ?? (await this.refresh());

    return this.#toInfo(result);
  }

  /** Discovers the devices now; a discovery already running is joined. */
  async refresh(): Promise<DiscoveryResult> {
    this.#screenActive();

    return this.#discover();
  }

  /** Keeps the previews and meters of every listed device running and returns their state. */
  previews(): DevicePreviews {
    this.#screenActive();

    const result = this.discovery.last;
    const tests = DevicePreviewPool.testInputs();
    const cameras: PreviewTarget[] = [{ id: TEST_PATTERN, claimKey: TEST_PATTERN, input: tests.camera, inUse: false }];
    const microphones: PreviewTarget[] = [{ id: TEST_TONE, claimKey: TEST_TONE, input: tests.microphone, inUse: false }];

    for (const camera of result?.cameras ?? []) {
      const input = camera.choice.ok ? this.#previews.cameraInput(camera.node, camera.choice.inputOptions) : null;
      const inUse = this.claims.holderOf(camera.node) === 'capture';

      cameras.push({ id: cameraId(camera), claimKey: camera.node, input, inUse });
    }
    for (const microphone of result?.microphones ?? []) {
      const input = this.#previews.microphoneInput(microphone.choice.device, withoutInputFormat(microphone.choice.inputOptions));

      microphones.push({
        id: microphone.key,
        claimKey: microphone.key,
        input,
        inUse: this.claims.holderOf(microphone.key) === 'capture',
      });
    }

    const previews = this.#previews.poll(cameras, microphones);
    const capture = this.capturePicture();

    for (const camera of previews.cameras) {
      if (camera.state === 'in-use' && capture) camera.pictureAt = capture.at;
    }

    return previews;
  }

  /** Returns the latest preview picture of a camera, or undefined before its first one. */
  picture(id: string): Buffer | undefined {
    if (id !== TEST_PATTERN && !this.discovery.last?.cameras.some((camera) => cameraId(camera) === id)) {
      throw podiumError('PODIUM_ERR_DEVICE_NOT_FOUND', 'camera', id);
    }

    const held = this.discovery.last?.cameras.find(
      (camera) => cameraId(camera) === id && this.claims.holderOf(camera.node) === 'capture',
    );

    return held ? this.capturePicture()?.picture : this.#previews.picture(id);
  }

  /** Returns the camera and microphone that events use: the stored choice, else the configuration's. */
  selection(): DeviceSelection {
    const stored = this.#store.getSetting(SELECTION_KEY);

    if (stored) return JSON.parse(stored) as DeviceSelection;

    const { video, audio } = this.#config.venue;
    const microphone = audio.source === 'test-tone' ? TEST_TONE : (microphoneKeyOf(audio.device) ?? audio.device);
    const configured = this.discovery.last?.cameras.find((camera) => camera.node === video.device);
    const camera = configured ? cameraId(configured) : video.device;

    return { camera: video.source === 'test-pattern' ? TEST_PATTERN : camera, microphone };
  }

  /** Stores the camera and microphone that events use from the next start on. */
  select(selection: DeviceSelection): DeviceSelection {
    const result = this.discovery.last;
    const current = this.selection();
    const knownCamera =
      selection.camera === TEST_PATTERN ||
      selection.camera === current.camera ||
      result?.cameras.some((camera) => cameraId(camera) === selection.camera && camera.choice.ok);
    const knownMicrophone =
      selection.microphone === TEST_TONE ||
      selection.microphone === current.microphone ||
      result?.microphones.some((microphone) => microphone.key === selection.microphone);

    if (!knownCamera) throw podiumError('PODIUM_ERR_DEVICE_NOT_FOUND', 'camera', selection.camera);
    if (!knownMicrophone) throw podiumError('PODIUM_ERR_DEVICE_NOT_FOUND', 'microphone', selection.microphone);
    this.#store.setSetting(SELECTION_KEY, JSON.stringify(selection));
    this.#logger.info(selection, 'venue devices chosen');

    return selection;
  }

  /** Returns the configuration's venue section with the chosen camera and microphone. */
  venueConfig(): PodiumConfig['venue'] {
    if (!this.#store.getSetting(SELECTION_KEY)) return this.#config.venue;

    return venueConfigWith(this.#config.venue, this.selection());
  }

  /** Stops discovering and stops every preview and meter. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
    await this.#previews.close();
  }

  #discover(): Promise<DiscoveryResult> {
    const { width, height, fps } = this.#config.venue.video;

    this.#running ??= this.discovery
      .discover({ width, height, fps })
      .catch((error: unknown) => {
        this.#logger.error({ err: error }, 'device discovery failed');
        throw error;
      })
      .finally(() => (this.#running = undefined));

    return this.#running;
  }

  #screenActive(): void {
    this.#requestedAt = Date.now();
    if (this.#timer) return;
    this.#logger.info('setup screen opened: discovering devices periodically');
    this.#timer = setInterval(() => {
      if (Date.now() - this.#requestedAt > SCREEN_IDLE_MS) {
        clearInterval(this.#timer);
        this.#timer = undefined;
        this.#logger.info('setup screen closed: periodic discovery stopped');

        return;
      }
      // A failed discovery is logged in #discover, and the next tick tries again.
      void this.#discover().catch(() => undefined);
    }, DISCOVERY_INTERVAL_MS);
    this.#timer.unref();
  }

  #toInfo(result: DiscoveryResult): DeviceSetupInfo {
    const cameras: SetupCamera[] = [
      {
        id: TEST_PATTERN,
        kind: 'test-pattern',
        node: null,
        name: 'Test picture',
        mode: `${this.#config.venue.video.width}x${this.#config.venue.video.height} at ${this.#config.venue.video.fps} fps`,
        explanation: 'The built-in moving test picture with a wall clock.',
        modes: [],
        inUse: false,
      },
      ...result.cameras.map((camera) => ({
        id: cameraId(camera),
        kind: 'v4l2' as const,
        node: camera.node,
        name: camera.name,
        // The explanation starts with the mode, such as "MJPEG 1920x1080 at 30 fps. ".
        mode: camera.choice.ok ? camera.choice.explanation.split('. ')[0]! : null,
        explanation: camera.choice.explanation,
        modes: describeModes(camera.listing),
        inUse: this.claims.holderOf(camera.node) === 'capture',
      })),
    ];
    const microphones: SetupMicrophone[] = [
      {
        id: TEST_TONE,
        kind: 'test-tone',
        name: 'Test tone',
        cardId: null,
        path: null,
        plugin: null,
        explanation: 'The built-in 1 kHz beep once a second.',
        inUse: false,
      },
      ...result.microphones.map((microphone) => ({
        id: microphone.key,
        kind: 'alsa' as const,
        name: microphone.name,
        cardId: microphone.cardId,
        path: microphone.choice.device,
        plugin: microphone.choice.plugin,
        explanation: microphone.choice.explanation,
        inUse: this.claims.holderOf(microphone.key) === 'capture',
      })),
    ];

    return { cameras, microphones, selection: this.selection(), problems: result.problems, discoveredAt: result.at };
  }
}

/** Returns a camera's id on the setup screen and in the stored choice: its stable path where it has one. */
function cameraId(camera: DiscoveredCamera): string {
  return camera.stablePath ?? camera.node;
}

/** Lists a camera's modes, one line per format and size, such as "MJPG 1920x1080: 30, 24 fps". */
function describeModes(listing: V4l2Listing): string[] {
  const lines: string[] = [];

  for (const format of listing.formats) {
    const name = format.fourcc ?? format.ffmpegName ?? format.description;

    for (const size of format.sizes) {
      if (size.kind !== 'discrete') {
        lines.push(`${name} ${size.minWidth}x${size.minHeight} to ${size.maxWidth}x${size.maxHeight}`);
        continue;
      }

      const rates = (size.intervals ?? []).map((interval) =>
        interval.kind === 'discrete' ? String(Number(interval.fps.toFixed(3))) : `${interval.minFps}-${interval.maxFps}`,
      );

      lines.push(`${name} ${size.width}x${size.height}${rates.length > 0 ? `: ${rates.join(', ')} fps` : ''}`);
    }
  }

  return lines;
}

/**
 * Returns a venue configuration with a stored camera and microphone choice
 * applied; podium doctor uses it to check the devices events will open.
 */
export function venueConfigWith(venue: PodiumConfig['venue'], selection: DeviceSelection): PodiumConfig['venue'] {
  const { video, audio } = venue;
  const { camera, microphone } = selection;

  return {
    video: camera === TEST_PATTERN ? { ...video, source: 'test-pattern' } : { ...video, source: 'v4l2', device: camera },
    audio:
      microphone === TEST_TONE
        ? { ...audio, source: 'test-tone' }
        : { ...audio, source: 'alsa', device: microphoneKeyOf(microphone) ? `hw:${microphone}` : microphone },
  };
}
