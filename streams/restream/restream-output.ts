import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { RestartingProcess } from '../../appliance/process/restarting-process.js';
import type { ProcessExit, Supervisor } from '../../appliance/process/supervisor.js';
import type { RestreamState } from '../../appliance/signaling/protocol.js';
import { SegmentFollower } from '../segment-follower.js';

/** The maximum of queued bytes for a restream's ffmpeg: about 10 s of a 3 Mbit/s stream. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Returns the ffmpeg arguments of one restream: MPEG-TS segments of the HLS
 * output on standard input, copied without a new encode into FLV for an
 * RTMP or RTMPS server. Progress lines on stderr show that data leaves.
 */
export function buildRestreamArgs(targetUrl: string): string[] {
  return [
    '-hide_banner', '-nostats', '-loglevel', 'warning',
    '-progress', 'pipe:2', '-stats_period', '1',
    '-f', 'mpegts', '-i', 'pipe:0',
    '-map', '0:v:0', '-map', '0:a:0',
    '-c', 'copy',
    '-f', 'flv', '-flvflags', 'no_duration_filesize',
    // A server that stops reading ends the attempt after 10 s, so the restart can reconnect.
    '-rw_timeout', '10000000',
    targetUrl,
  ];
}

/** Returns the full address ffmpeg sends to: the server address, then the stream key as the last path part. */
export function targetAddress(url: string, streamKey: string): string {
  return streamKey === '' ? url : `${url.replace(/\/+$/, '')}/${streamKey}`;
}

/** Returns the last stderr line that explains an exit, or the exit code. */
function exitReason(exit: ProcessExit): string {
  const line = [...exit.stderr].reverse().find((entry) => !entry.startsWith('['));

  return line ?? exit.stderr.at(-1) ?? `ffmpeg exited with code ${exit.code ?? exit.signal}`;
}

export type RestreamOutputOptions = {
  targetId: string;
  /** The full address, stream key included; it reaches logs only through the supervisor's redaction. */
  address: string;
  /** The stream key, which the supervisor removes from every log line and exit reason. */
  streamKey: string;
  playlistPath: string;
  supervisor: Supervisor;
  logger: Logger;
};

/**
 * One restream target: an ffmpeg fed with the HLS output's segments (the one
 * H.264 and AAC encode) that sends them to an RTMP server. When the server
 * drops or refuses the stream, the process restarts with backoff, the state
 * shows "failed" with the reason until the next attempt, and the other
 * outputs are not touched.
 */
export class RestreamOutput extends EventEmitter<{ state: [RestreamState, string | null] }> {
  readonly targetId: string;
  readonly #process: RestartingProcess;
  readonly #logger: Logger;
  #follower: SegmentFollower | undefined;
  #state: RestreamState = 'connecting';
  #reason: string | null = null;
  #sentBytes = 0;

  private constructor(options: RestreamOutputOptions) {
    super();
    this.targetId = options.targetId;
    this.#logger = options.logger.child({ output: 'restream', targetId: options.targetId });
    this.#process = new RestartingProcess({
      supervisor: options.supervisor,
      logger: this.#logger,
      spec: () => ({
        name: 'restream',
        command: resolveFfmpegPath(),
        args: buildRestreamArgs(options.address),
        stdin: 'pipe',
        logContext: { targetId: options.targetId },
        consumeStderrLine: (line) => this.#onStderrLine(line),
        secrets: [options.streamKey],
      }),
    });
    this.#process.on('up', () => {
      this.#sentBytes = 0;
      // A retry keeps the last failure's reason until it is live, so that staff's alarm does not blink off meanwhile.
      this.#setState('connecting', this.#state === 'failed' ? this.#reason : null);
    });
    this.#process.on('down', (exit, { delayMs }) => {
      this.#logger.warn({ delayMs }, 'restream dropped, reconnecting');
      this.#setState('failed', exitReason(exit));
    });
  }

  static async start(options: RestreamOutputOptions): Promise<RestreamOutput> {
    const output = new RestreamOutput(options);

    output.#process.start();
    output.#follower = await SegmentFollower.start({
      playlistPath: options.playlistPath,
      logger: output.#logger,
      onSegment: async (data) => output.#feed(data),
    });

    return output;
  }

  get state(): RestreamState {
    return this.#state;
  }

  get reason(): string | null {
    return this.#reason;
  }

  async stop(): Promise<void> {
    await this.#follower?.stop();
    await this.#process.stop();
    this.#setState('stopped', null);
  }

  #feed(data: Buffer): void {
    const stdin = this.#process.current?.stdin;

    // Segments queue while ffmpeg connects. Beyond the limit a slow target loses segments, so it never holds up Podium.
    if (!stdin || !stdin.writable) return;
    if (stdin.writableLength > MAX_QUEUED_BYTES) {
      this.#logger.warn({ queuedBytes: stdin.writableLength }, 'restream target too slow, segment dropped');

      return;
    }
    stdin.write(data);
  }

  #onStderrLine(line: string): boolean {
    const match = /^total_size=(\d+)/.exec(line);

    if (match) {
      const bytes = Number(match[1]);

      if (bytes > this.#sentBytes && this.#state !== 'live') this.#setState('live', null);
      this.#sentBytes = bytes;
    }

    return /^[a-z_0-9]+=/.test(line);
  }

  #setState(state: RestreamState, reason: string | null): void {
    if (state === this.#state && reason === this.#reason) return;
    this.#state = state;
    this.#reason = reason;
    this.#logger.info({ state, reason }, 'restream state changed');
    this.emit('state', state, reason);
  }
}
