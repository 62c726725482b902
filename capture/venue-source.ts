import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../appliance/log.js';
import type { PodiumConfig } from '../appliance/config/schema.js';
import { resolveFfmpegPath } from '../appliance/process/ffmpeg.js';
import { RestartingProcess } from '../appliance/process/restarting-process.js';
import type { SupervisedProcess, Supervisor } from '../appliance/process/supervisor.js';
import type { Room, RtpIngest } from '../appliance/sfu/room.js';
import type { SourceLabel } from '../appliance/sfu/source-labels.js';
import { findFreeRtpPortPair, findFreeTcpPort } from '../streams/local-ports.js';
import { SimulatedCamera } from './ptz/simulated-camera.js';
import { ZmqCommandClient } from './ptz/zmq-command-client.js';
import { AudioLevelParser, isLevelLine, type AudioLevel } from './audio-level.js';
import { FrameRateMeter, isProgressLine, isSlow, type FrameRateReading } from './frame-rate-meter.js';
import type { DeviceClaims } from './devices/device-claims.js';
import type { DeviceDiscovery } from './devices/device-discovery.js';
import { MultipartJpegReader } from './devices/multipart-jpeg.js';
import { VenueDevices, type VenueDeviceProblems } from './devices/venue-devices.js';
import {
  AUDIO_PAYLOAD_TYPE,
  buildAudioCaptureArgs,
  buildSlateArgs,
  buildVideoCaptureArgs,
  h264Level,
  profileLevelId,
  VIDEO_PAYLOAD_TYPE,
  type RtpTarget,
} from './venue-source-args.js';

/** A capture that delivers no packets for this long counts as stalled and is restarted. */
const STALL_MS = 3000;
const WATCH_INTERVAL_MS = 500;

/**
 * Whether the camera and the microphone deliver right now, what keeps a
 * V4L2 camera or ALSA microphone from being captured, if anything, and the
 * camera's frame rate while it delivers more than 10% below the request.
 */
export type VenueStatus = {
  camera: 'ok' | 'disconnected';
  microphone: 'ok' | 'disconnected';
  slowCamera: FrameRateReading | null;
  cameraProblem?: string;
  microphoneProblem?: string;
};

export type VenueSourceEvents = {
  /** The microphone level, about ten times a second. */
  level: [AudioLevel];
  /** The camera or the microphone went away or came back. */
  status: [VenueStatus];
};

export type VenueSourceOptions = {
  room: Room;
  supervisor: Supervisor;
  /**
   * The venue and encoding settings, and the PTZ camera kind: the test
   * pattern is the simulated PTZ camera's hall only with ptz.camera
   * "simulated" (the default when ptz is left out).
   */
  config: Pick<PodiumConfig, 'venue' | 'encoding'> & { ptz?: Pick<PodiumConfig['ptz'], 'camera'> };
  logger: Logger;
  /**
   * Listing and claims of V4L2 cameras and ALSA microphones. With them, the
   * capture claims its devices and opens them in a mode chosen from their
   * listings; without them, with the configured options.
   */
  devices?: { discovery: DeviceDiscovery; claims: DeviceClaims };
};

function targetOf(ingest: RtpIngest, ssrc: number): Pick<RtpTarget, 'rtpPort' | 'rtcpPort' | 'ssrc'> {
  return { rtpPort: ingest.rtpPort, rtcpPort: ingest.rtcpPort, ssrc };
}

/** Watches one producer's packet count and reports stalls and recoveries. */
class DeliveryWatch {
  #lastCount = -1;
  #lastChangeAt = Date.now();

  /** Returns "flowing" when packets arrived since the last check, "stalled" after STALL_MS without. */
  check(count: number, now = Date.now()): 'flowing' | 'waiting' | 'stalled' {
    if (count !== this.#lastCount) {
      const first = this.#lastCount < 0;

      this.#lastCount = count;
      this.#lastChangeAt = now;

      return first && count === 0 ? 'waiting' : 'flowing';
    }

    return now - this.#lastChangeAt >= STALL_MS ? 'stalled' : 'waiting';
  }

  reset(now = Date.now()): void {
    this.#lastChangeAt = now;
  }
}

/**
 * The venue camera and microphone (or the built-in test pattern and tone),
 * each captured by its own ffmpeg and published into the room as the
 * producers "venue-camera" and "venue-mic". Each capture restarts with
 * backoff when it ends or stops delivering for 3 s. While the camera is away,
 * a slate ("Bild folgt gleich") feeds the same producer, so viewers keep
 * their stream and the audio goes on.
 */
export class VenueSource extends EventEmitter<VenueSourceEvents> {
  /** Closes the current producers of camera and microphone. */
  readonly #closeIngests: () => void;
  readonly #video: RestartingProcess;
  readonly #audio: RestartingProcess;
  readonly #slate: () => Promise<SupervisedProcess>;
  readonly #room: Room;
  readonly #logger: Logger;
  readonly #levelParser = new AudioLevelParser();
  readonly #watches = new Map<SourceLabel, DeliveryWatch>([
    ['venue-camera', new DeliveryWatch()],
    ['venue-mic', new DeliveryWatch()],
  ]);
  #slateProcess: SupervisedProcess | undefined;
  #slateStarting: Promise<void> | undefined;
  #zmqClient: ZmqCommandClient | undefined;
  /** The simulated PTZ camera of the built-in test pattern; undefined for a real camera. */
  simulatedCamera: SimulatedCamera | undefined;
  #status: VenueStatus = { camera: 'ok', microphone: 'ok', slowCamera: null };
  #frameRate: FrameRateMeter;
  #watchTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #devices: VenueDevices | undefined;
  /** The camera capture's latest preview picture, for the setup screen (V4L2 cameras only). */
  cameraPicture: { picture: Buffer; at: number } | undefined;

  private constructor(
    room: Room,
    closeIngests: () => void,
    processes: { video: RestartingProcess; audio: RestartingProcess; slate: () => Promise<SupervisedProcess> },
    logger: Logger,
    requestedFps: number,
  ) {
    super();
    this.#frameRate = new FrameRateMeter({ requestedFps });
    this.#room = room;
    this.#closeIngests = closeIngests;
    this.#video = processes.video;
    this.#audio = processes.audio;
    this.#slate = processes.slate;
    this.#logger = logger;
    this.#video.on('down', () => this.#onCameraDown());
    this.#audio.on('down', () => this.#setStatus({ ...this.#status, microphone: 'disconnected' }));
    this.#video.on('up', () => {
      this.#watches.get('venue-camera')?.reset();
      this.#frameRate.reset();
    });
    this.#audio.on('up', () => this.#watches.get('venue-mic')?.reset());
    this.#watchTimer = setInterval(() => void this.#watchDelivery(), WATCH_INTERVAL_MS);
  }

  static async start(options: VenueSourceOptions): Promise<VenueSource> {
    const { room, config, supervisor } = options;
    const logger = options.logger.child({ source: 'venue' });
    const { video } = config.venue;
    const level = h264Level(video.width, video.height, video.fps);
    const current: { video?: RtpIngest; audio?: RtpIngest } = {};
    const devices = options.devices && new VenueDevices({ ...options.devices, venue: config.venue, logger });
    const closeIngests = () => {
      current.video?.close();
      current.audio?.close();
    };

    try {
      await devices?.claim();

      let cameraInput = await devices?.chooseCameraInput();
      let microphoneInput = await devices?.chooseMicrophoneInput();

      const videoSsrc = randomInt(1, 2 ** 31);
      const audioSsrc = randomInt(1, 2 ** 31);
      const videoRtp = {
        codecs: [
          {
            mimeType: 'video/H264',
            payloadType: VIDEO_PAYLOAD_TYPE,
            clockRate: 90000,
            parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId(level) },
          },
        ],
        encodings: [{ ssrc: videoSsrc }],
      };
      const audioRtp = {
        codecs: [{ mimeType: 'audio/opus' as const, payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: audioSsrc }],
      };
      const videoLocal = await findFreeRtpPortPair();
      const audioLocal = await findFreeRtpPortPair();
      // Each start of a capture, and of the slate, publishes a new producer:
      // a restarted ffmpeg begins new RTP timestamps, which viewers take
      // best from a new consumer. The room closes the replaced producer.
      const renewVideo = async (): Promise<RtpTarget> => {
        current.video = await room.createRtpIngest('venue-camera', 'video', videoRtp);

        return { ...targetOf(current.video, videoSsrc), localRtpPort: videoLocal.rtpPort, localRtcpPort: videoLocal.rtcpPort };
      };
      const renewAudio = async (): Promise<RtpTarget> => {
        current.audio = await room.createRtpIngest('venue-mic', 'audio', audioRtp);

        return { ...targetOf(current.audio, audioSsrc), localRtpPort: audioLocal.rtpPort, localRtcpPort: audioLocal.rtcpPort };
      };
      let videoTarget = await renewVideo();
      let audioTarget = await renewAudio();

      const ffmpeg = resolveFfmpegPath();
      const logContext = { roomId: room.id };
      const simulatesPtz = video.source === 'test-pattern' && (config.ptz?.camera ?? 'simulated') === 'simulated';
      const ptzPort = simulatesPtz ? await findFreeTcpPort() : undefined;
      const zmqClient = ptzPort === undefined ? undefined : new ZmqCommandClient(ptzPort);
      const simulatedCamera =
        ptzPort === undefined
          ? undefined
          : new SimulatedCamera({ width: video.width, height: video.height }, (command) => zmqClient!.send(command));
      let source: VenueSource | undefined;
      const slate = async () => {
        videoTarget = await renewVideo();

        return supervisor.start({
          name: 'slate',
          command: ffmpeg,
          args: buildSlateArgs({ video, encoding: config.encoding, target: videoTarget }),
          logContext,
        });
      };
      const videoProcess = new RestartingProcess({
        supervisor,
        logger,
        spec: () => {
          // A new capture starts from the simulated camera's current window.
          simulatedCamera?.captureRestarted();

          const pictures = new MultipartJpegReader();

          return {
            name: 'camera',
            command: ffmpeg,
            args: buildVideoCaptureArgs({
              video,
              encoding: config.encoding,
              target: videoTarget,
              simulatedPtz: simulatedCamera && ptzPort ? { port: ptzPort, window: simulatedCamera.window } : undefined,
              deviceInput: cameraInput,
              previewPictures: devices !== undefined,
            }),
            logContext,
            consumeStderrLine: (line) => {
              if (!isProgressLine(line)) return false;
              if (source) source.#onProgressLine(line);

              return true;
            },
            onStdout:
              devices && video.source === 'v4l2'
                ? (chunk) => {
                    const picture = pictures.push(chunk).pop();

                    if (picture && source) source.cameraPicture = { picture, at: Date.now() };
                  }
                : undefined,
          };
        },
        // The slate sends from the camera's ports, so it must be gone first.
        beforeRestart: async () => {
          if (source) await source.#stopSlate();
          cameraInput = await devices?.chooseCameraInput();
          videoTarget = await renewVideo();
        },
      });
      const audioProcess = new RestartingProcess({
        supervisor,
        logger,
        spec: () => ({
          name: 'microphone',
          command: ffmpeg,
          args: buildAudioCaptureArgs({
            audio: microphoneInput ? { ...config.venue.audio, device: microphoneInput.device } : config.venue.audio,
            encoding: config.encoding,
            target: audioTarget,
            deviceInput: microphoneInput?.input,
          }),
          logContext,
          consumeStderrLine: (line) => {
            if (!isLevelLine(line)) return false;
            if (source) source.#onLevelLine(line);

            return true;
          },
        }),
        beforeRestart: async () => {
          microphoneInput = await devices?.chooseMicrophoneInput();
          audioTarget = await renewAudio();
        },
      });

      source = new VenueSource(room, closeIngests, { video: videoProcess, audio: audioProcess, slate }, logger, video.fps);
      source.simulatedCamera = simulatedCamera;
      source.#zmqClient = zmqClient;
      source.#devices = devices;
      if (devices) {
        source.#onDeviceProblems(devices.problems);
        devices.on('problems', (problems) => source!.#onDeviceProblems(problems));
      }
      videoProcess.start();
      audioProcess.start();

      return source;
    } catch (error) {
      closeIngests();
      devices?.release();
      throw error;
    }
  }

  get status(): VenueStatus {
    return { ...this.#status };
  }

  /** The running camera capture process, if any (the slate does not count). */
  get cameraProcess(): SupervisedProcess | undefined {
    return this.#video.current;
  }

  get microphoneProcess(): SupervisedProcess | undefined {
    return this.#audio.current;
  }

  /** Asks every capture to finish, then removes the producers from the room. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#watchTimer);
    this.#zmqClient?.close();
    await Promise.all([this.#video.stop(), this.#audio.stop(), this.#stopSlate()]);
    this.#devices?.release();
    this.#closeIngests();
  }

  #onCameraDown(): void {
    this.#setStatus({ ...this.#status, camera: 'disconnected', slowCamera: null });
    if (this.#stopped || this.#slateStarting || this.#slateProcess?.running) return;
    this.#slateStarting = this.#slate()
      .then((slate) => {
        this.#slateProcess = slate;
        if (this.#stopped) void slate.stop();
      })
      .catch((error: unknown) => this.#logger.error({ err: error }, 'slate failed to start'))
      .finally(() => {
        this.#slateStarting = undefined;
      });
  }

  async #stopSlate(): Promise<void> {
    await this.#slateStarting;

    const slate = this.#slateProcess;

    this.#slateProcess = undefined;
    await slate?.stop();
  }

  async #watchDelivery(): Promise<void> {
    if (this.#stopped || this.#room.closed) return;

    for (const [source, capture] of [
      ['venue-camera', this.#video],
      ['venue-mic', this.#audio],
    ] as const) {
      // A request in flight when the media worker dies rejects; the room is closed by then.
      const stats = await this.#room.producerStats(source).catch(() => null);

      if (stats === null) return;

      const state = this.#watches.get(source)!.check(stats?.packetCount ?? 0);
      const key = source === 'venue-camera' ? 'camera' : 'microphone';

      if (!capture.current) continue;
      if (state === 'flowing' && this.#status[key] !== 'ok') this.#setStatus({ ...this.#status, [key]: 'ok' });
      if (state === 'stalled') capture.restartNow(`no ${key} packets for ${STALL_MS / 1000} s`);
    }
  }

  #onProgressLine(line: string): void {
    const reading = this.#frameRate.push(line);

    if (!reading) return;

    const slowCamera = isSlow(reading) ? { requested: reading.requested, delivered: Math.round(reading.delivered) } : null;
    const previous = this.#status.slowCamera;

    // The consoles follow changes of 2 frames per second or more, so a rate that wobbles does not flood them.
    if (previous && slowCamera && Math.abs(slowCamera.delivered - previous.delivered) < 2) return;
    if (!previous && !slowCamera) return;
    if (slowCamera && !previous) this.#logger.warn(slowCamera, 'camera delivers fewer frames than requested');
    if (!slowCamera) this.#logger.info(reading, 'camera frame rate back to the request');
    this.#setStatus({ ...this.#status, slowCamera });
  }

  #onLevelLine(line: string): void {
    const level = this.#levelParser.push(line);

    if (level) this.emit('level', level);
  }

  #onDeviceProblems(problems: VenueDeviceProblems): void {
    const { camera, microphone, slowCamera } = this.#status;

    this.#setStatus({ camera, microphone, slowCamera, cameraProblem: problems.camera, microphoneProblem: problems.microphone });
  }

  #setStatus(status: VenueStatus): void {
    const keys = ['camera', 'microphone', 'cameraProblem', 'microphoneProblem'] as const;
    const same =
      keys.every((key) => status[key] === this.#status[key]) &&
      status.slowCamera?.delivered === this.#status.slowCamera?.delivered;

    if (same) return;
    this.#status = status;
    this.#logger.info(status, 'venue status changed');
    this.emit('status', status);
  }
}
