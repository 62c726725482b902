import { EventEmitter } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../appliance/log.js';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import type { SupervisedProcess, Supervisor } from '../../appliance/process/supervisor.js';
import type { Room, RtpEgress } from '../../appliance/sfu/room.js';
import type { SourceLabel } from '../../appliance/sfu/source-labels.js';
import { findFreeRtpPortPair } from '../local-ports.js';
import type { OutputEvents, OutputState, RoomOutput } from '../output.js';
import { buildReceiveSdp, type SdpMedia } from '../rtp-sdp.js';
import { buildHlsArgs, HLS_PLAYLIST_NAME } from './hls-args.js';

const PLAYLIST_CHECK_MS = 250;

export type HlsOutputOptions = {
  room: Room;
  supervisor: Supervisor;
  config: Pick<PodiumConfig, 'encoding' | 'hls'>;
  /** Directory the playlist and segments go to (served under /hls/). */
  outputDir: string;
  /** Sources to package: one video and one audio label of the room. */
  videoSource: SourceLabel;
  audioSource: SourceLabel;
  logger: Logger;
};

/**
 * The HLS restream: an ffmpeg that receives the room's video and audio over
 * plain RTP and writes a live playlist. It is "live" once the playlist lists
 * a segment, and it ends the playlist with #EXT-X-ENDLIST when stopped.
 */
export class HlsOutput extends EventEmitter<OutputEvents> implements RoomOutput {
  readonly kind = 'hls';
  readonly outputDir: string;
  #state: OutputState = 'starting';
  #failureReason: string | undefined;
  #process: SupervisedProcess | undefined;
  #egresses: RtpEgress[] = [];
  #playlistTimer: NodeJS.Timeout | undefined;
  readonly #logger: Logger;

  private constructor(outputDir: string, logger: Logger) {
    super();
    this.outputDir = outputDir;
    this.#logger = logger.child({ output: 'hls' });
  }

  get state(): OutputState {
    return this.#state;
  }

  get failureReason(): string | undefined {
    return this.#failureReason;
  }

  get playlistPath(): string {
    return join(this.outputDir, HLS_PLAYLIST_NAME);
  }

  /** Starts packaging; the output reports "live" later, with its first segment. */
  static async start(options: HlsOutputOptions): Promise<HlsOutput> {
    const output = new HlsOutput(options.outputDir, options.logger);

    try {
      await output.#launch(options);
    } catch (error) {
      output.#closeEgresses();
      output.#setState('failed', `HLS output failed to start: ${(error as Error).message}`);
      throw error;
    }

    return output;
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    if (this.#state !== 'failed') this.#setState('stopping');
    clearInterval(this.#playlistTimer);
    await this.#process?.stop();
    this.#closeEgresses();
    if (this.#state !== 'failed') this.#setState('stopped');
  }

  async #launch(options: HlsOutputOptions): Promise<void> {
    const { room, supervisor, config } = options;

    await rm(this.outputDir, { recursive: true, force: true });
    await mkdir(this.outputDir, { recursive: true });

    const media: SdpMedia[] = [];
    const receivers = new Map<SourceLabel, { rtpPort: number; rtcpPort: number }>();

    for (const [kind, source] of [['video', options.videoSource], ['audio', options.audioSource]] as const) {
      const ports = await findFreeRtpPortPair();
      const egress = await room.createRtpEgress(source, ports);

      receivers.set(source, ports);
      const codec = egress.rtpParameters.codecs[0];

      this.#egresses.push(egress);
      if (!codec) throw new Error(`room source "${source}" has no codec`);
      media.push({ kind, ...ports, codec });
    }

    const sdpPath = join(this.outputDir, '..', `${room.id}.sdp`);

    await writeFile(sdpPath, buildReceiveSdp(media));
    this.#process = supervisor.start({
      name: 'hls',
      command: resolveFfmpegPath(),
      args: buildHlsArgs({
        sdpPath,
        outputDir: this.outputDir,
        aacBitrateKbps: config.encoding.aacBitrateKbps,
        playlistSegments: config.hls.playlistSegments,
      }),
      logContext: { roomId: room.id },
    });
    this.#process.once('exit', (exit) => {
      clearInterval(this.#playlistTimer);
      if (exit.requested) return;

      const lastLine = exit.stderr.at(-1) ?? 'no output';

      this.#setState('failed', `HLS packager exited with code ${exit.code} (${lastLine})`);
    });
    await Promise.all(this.#egresses.map((egress) => egress.resume()));
    this.#playlistTimer = setInterval(() => void this.#checkPlaylist(), PLAYLIST_CHECK_MS);
    room.on('producer', (source) => void this.#followProducer(room, source, receivers));
  }

  /**
   * Sends a source's new producer (a restarted capture) to the same packager
   * ports, so that the packager keeps running.
   */
  async #followProducer(room: Room, source: SourceLabel, receivers: Map<SourceLabel, { rtpPort: number; rtcpPort: number }>): Promise<void> {
    const ports = receivers.get(source);

    if (!ports || this.#state === 'stopping' || this.#state === 'stopped' || room.closed) return;

    try {
      const egress = await room.createRtpEgress(source, ports);

      this.#egresses = this.#egresses.filter((old) => {
        if (old.source !== source) return true;
        old.close();

        return false;
      });
      this.#egresses.push(egress);
      await egress.resume();
      this.#logger.info({ source }, 'following the new producer');
    } catch (error) {
      this.#logger.error({ err: error, source }, 'cannot follow the new producer');
    }
  }

  async #checkPlaylist(): Promise<void> {
    const playlist = await readFile(this.playlistPath, 'utf8').catch(() => '');

    if (this.#state === 'starting' && playlist.includes('#EXTINF')) {
      clearInterval(this.#playlistTimer);
      this.#setState('live');
    }
  }

  #closeEgresses(): void {
    for (const egress of this.#egresses) egress.close();
    this.#egresses = [];
  }

  #setState(state: OutputState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#failureReason = reason;
    if (state === 'failed') this.#logger.error({ reason }, 'output failed');
    else this.#logger.info({ state }, 'output state changed');
    this.emit('state', state, reason);
  }
}
