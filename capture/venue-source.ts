import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../appliance/log.js';
import type { PodiumConfig } from '../appliance/config/schema.js';
import { resolveFfmpegPath } from '../appliance/process/ffmpeg.js';
import type { ProcessExit, SupervisedProcess, Supervisor } from '../appliance/process/supervisor.js';
import type { Room, RtpIngest } from '../appliance/sfu/room.js';
import { AudioLevelParser, isLevelLine, type AudioLevel } from './audio-level.js';
import {
  AUDIO_PAYLOAD_TYPE,
  buildVenueCaptureArgs,
  h264Level,
  profileLevelId,
  VIDEO_PAYLOAD_TYPE,
} from './venue-source-args.js';

export type VenueSourceEvents = {
  /** The microphone level, about ten times a second. */
  level: [AudioLevel];
  /** The capture process ended without being asked to. */
  failed: [string];
};

export type VenueSourceOptions = {
  room: Room;
  supervisor: Supervisor;
  config: Pick<PodiumConfig, 'venue' | 'encoding'>;
  logger: Logger;
};

function randomSsrc(): number {
  return randomInt(1, 2 ** 31);
}

/**
 * The venue camera and microphone (or the built-in test pattern and tone),
 * captured by one ffmpeg and published into the room as the producers
 * "venue-camera" and "venue-mic".
 */
export class VenueSource extends EventEmitter<VenueSourceEvents> {
  readonly #ingests: RtpIngest[];
  readonly #process: SupervisedProcess;
  readonly #logger: Logger;
  readonly #levelParser = new AudioLevelParser();

  private constructor(ingests: RtpIngest[], process: SupervisedProcess, logger: Logger) {
    super();
    this.#ingests = ingests;
    this.#process = process;
    this.#logger = logger;

    process.once('exit', (exit) => this.#onExit(exit));
  }

  static async start(options: VenueSourceOptions): Promise<VenueSource> {
    const { room, config } = options;
    const { video } = config.venue;
    const videoSsrc = randomSsrc();
    const audioSsrc = randomSsrc();
    const level = h264Level(video.width, video.height, video.fps);
    const ingests: RtpIngest[] = [];

    try {
      ingests.push(
        await room.createRtpIngest('venue-camera', 'video', {
          codecs: [
            {
              mimeType: 'video/H264',
              payloadType: VIDEO_PAYLOAD_TYPE,
              clockRate: 90000,
              parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId(level) },
            },
          ],
          encodings: [{ ssrc: videoSsrc }],
        }),
      );
      ingests.push(
        await room.createRtpIngest('venue-mic', 'audio', {
          codecs: [
            { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 },
          ],
          encodings: [{ ssrc: audioSsrc }],
        }),
      );
    } catch (error) {
      for (const ingest of ingests) ingest.close();
      throw error;
    }

    const [videoIngest, audioIngest] = ingests as [RtpIngest, RtpIngest];
    let source: VenueSource | undefined;
    const process = options.supervisor.start({
      name: 'capture',
      command: resolveFfmpegPath(),
      args: buildVenueCaptureArgs({
        venue: config.venue,
        encoding: config.encoding,
        video: { rtpPort: videoIngest.rtpPort, rtcpPort: videoIngest.rtcpPort, ssrc: videoSsrc },
        audio: { rtpPort: audioIngest.rtpPort, rtcpPort: audioIngest.rtcpPort, ssrc: audioSsrc },
      }),
      logContext: { roomId: room.id },
      consumeStderrLine: (line) => {
        if (!isLevelLine(line)) return false;
        if (source) source.#onLevelLine(line);

        return true;
      },
    });

    source = new VenueSource(ingests, process, options.logger.child({ source: 'venue' }));

    return source;
  }

  get running(): boolean {
    return this.#process.running;
  }

  /** Asks ffmpeg to finish, then removes the producers from the room. */
  async stop(): Promise<void> {
    await this.#process.stop();
    for (const ingest of this.#ingests) ingest.close();
  }

  #onLevelLine(line: string): void {
    const level = this.#levelParser.push(line);

    if (level) this.emit('level', level);
  }

  #onExit(exit: ProcessExit): void {
    if (exit.requested) return;

    const lastLine = exit.stderr.at(-1) ?? 'no output';
    const reason = `venue capture exited with code ${exit.code ?? exit.signal} (${lastLine})`;

    this.#logger.error({ code: exit.code, signal: exit.signal }, 'venue capture failed');
    for (const ingest of this.#ingests) ingest.close();
    this.emit('failed', reason);
  }
}
