import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import type { Logger } from '../../appliance/log.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { RestartingProcess } from '../../appliance/process/restarting-process.js';
import type { Supervisor } from '../../appliance/process/supervisor.js';
import type { Room, RtpIngest } from '../../appliance/sfu/room.js';
import { h264Level } from '../../capture/venue-source-args.js';
import { ZmqCommandClient } from '../../capture/ptz/zmq-command-client.js';
import { findFreeTcpPort } from '../local-ports.js';
import { encoderPlaylistName, HLS_PLAYLIST_NAME, mediaPlaylistName } from '../hls/hls-files.js';
import { CAPTION_DISPLAY_MS, CaptionTrack, type TimedCaption } from '../hls/caption-track.js';
import { PlaylistPublisher } from '../hls/playlist-publisher.js';
import type { LowerThird, ProgramStatus } from '../../appliance/signaling/protocol.js';
import type { OutputEvents, OutputState } from '../output.js';
import { h264Ingest, opusIngest } from './ingest-parameters.js';
import { buildMultivariantPlaylist } from './multivariant-playlist.js';
import { buildProgramArgs, type ProgramRtpTarget } from './program-args.js';
import { ProgramInputs, type ProgramVideoCodec } from './program-inputs.js';
import {
  layoutNeeds,
  layoutOnAir,
  PROGRAM_LAYOUTS,
  sceneCommands,
  sceneSettings,
  type ProgramInput,
  type ProgramLayout,
  type SceneSettings,
} from './program-layout.js';
import { renditionsFor, type Rendition } from './renditions.js';
import { StandInSource } from './stand-in-source.js';

const PLAYLIST_CHECK_MS = 200;
/** A scene that could not be sent is sent again after this long. */
const RETRY_MS = 1000;
/**
 * While a started compositor has written no segment, every input's source is
 * asked for a keyframe this often. ffmpeg composes nothing before each input
 * has decoded a picture, and a browser sends keyframes only when asked: a
 * request that arrives before ffmpeg listens is lost.
 */
const KEY_FRAME_RETRY_MS = 1000;

export type { LowerThird, ProgramStatus };

export type ProgramOutputEvents = OutputEvents & { status: [ProgramStatus] };

/** How often the burned-in captions' file follows the captions. */
const CAPTION_REFRESH_MS = 200;
/** Characters per line of the burned-in captions (the 720p picture fits about 55 in its font). */
const CAPTION_LINE_CHARACTERS = 50;

/** Breaks a caption into lines of at most CAPTION_LINE_CHARACTERS at spaces, for the burned-in captions. */
export function wrapCaption(text: string): string {
  const lines: string[] = [];
  let line = '';

  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > CAPTION_LINE_CHARACTERS) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);

  return lines.join('\n');
}

export type ProgramOutputOptions = {
  room: Room;
  supervisor: Supervisor;
  config: Pick<PodiumConfig, 'encoding' | 'hls' | 'venue'>;
  /** Directory of the playlists and segments (served under /hls/<event id>/). */
  outputDir: string;
  logger: Logger;
  /** The scene to start with, for example the one before a restart of Podium. */
  initial?: { layout?: ProgramLayout; lowerThird?: LowerThird };
  /** Returns the live captions that arrived at or after a wall-clock time (ms), for the HLS subtitle track. */
  captionsSince?: (fromMs: number) => TimedCaption[];
  /** The codec every video source of the program sends (default H.264; a meeting's broadcast takes VP8). */
  videoCodec?: ProgramVideoCodec;
};

export class LayoutUnavailableError extends Error {
  constructor(readonly layout: ProgramLayout, readonly missing: string) {
    super(`the layout "${layout}" needs the source "${missing}", which is not in the room`);
  }
}

/**
 * The produced program: one supervised ffmpeg that composes the room's
 * sources into the chosen layout and encodes it once per rendition. Its
 * outputs are the HLS renditions under a multivariant playlist, and the
 * program ("program", "program-audio") back in the room for WebRTC viewers.
 * Layout and lower third change live through the compositor's zmq filter.
 * A restarted compositor starts with the scene on air, and its playlists go
 * on after a discontinuity.
 */
export class ProgramOutput extends EventEmitter<ProgramOutputEvents> {
  readonly kind = 'program';
  readonly outputDir: string;
  readonly renditions: Rendition[];
  readonly #options: ProgramOutputOptions;
  readonly #logger: Logger;
  readonly #fps: number;
  #state: OutputState = 'starting';
  #failureReason: string | undefined;
  #layout: ProgramLayout;
  #lowerThird: LowerThird;
  /** Whether staff chose to burn the live captions into the picture. */
  #captionsBurnedIn = false;
  /** The caption lines in the burned-in captions' file now. */
  #burnedText = '';
  #present: ReadonlySet<ProgramInput> = new Set();
  /** The scene last applied to the compositor; undefined after a failed command. */
  #applied: SceneSettings | undefined;
  #syncing = false;
  #standIn: StandInSource | undefined;
  #inputs: ProgramInputs | undefined;
  #process: RestartingProcess | undefined;
  #zmq: ZmqCommandClient | undefined;
  #zmqPort = 0;
  #ingests: RtpIngest[] = [];
  #targets: { video: ProgramRtpTarget; audio: ProgramRtpTarget } | undefined;
  #publishers: PlaylistPublisher[] = [];
  #captionTrack: CaptionTrack | undefined;
  #timers: NodeJS.Timeout[] = [];
  #retry: NodeJS.Timeout | undefined;
  /** The room the program takes its inputs from and publishes into; a rebuilt room replaces it (moveTo). */
  #room: Room;
  /** The reason Podium itself restarts the compositor, for the failure reason meanwhile. */
  #restartReason: string | undefined;
  /** When the inputs' sources were last asked for keyframes, in ms since the epoch. */
  #keyFramesRequestedAt = 0;
  /** The program is live again only with a segment newer than this one (set when the compositor stops). */
  #liveAfterSequence = -1;
  /**
   * Wall-clock second that is time 0 of the compositor's timestamps, a
   * little before the first start so that none falls below 0. Restarts keep
   * it, so the recording's timestamps go on rising across a restart.
   */
  readonly #clockOrigin = Date.now() / 1000 - 1;

  private constructor(options: ProgramOutputOptions) {
    super();
    const { video } = options.config.venue;

    this.#options = options;
    this.#room = options.room;
    this.outputDir = options.outputDir;
    this.#fps = video.fps;
    this.renditions = renditionsFor(video.width, video.height, options.config.encoding.videoBitrateKbps);
    this.#logger = options.logger.child({ output: 'program' });
    this.#layout = options.initial?.layout ?? 'camera';
    this.#lowerThird = options.initial?.lowerThird ?? { visible: false, title: '', name: '' };
  }

  get state(): OutputState {
    return this.#state;
  }

  get failureReason(): string | undefined {
    return this.#failureReason;
  }

  /** The multivariant playlist players open. */
  get playlistPath(): string {
    return join(this.outputDir, HLS_PLAYLIST_NAME);
  }

  /** The top rendition's media playlist, which the recording and the restreams follow. */
  get topPlaylistPath(): string {
    return join(this.outputDir, mediaPlaylistName(this.renditions[0]!));
  }

  get status(): ProgramStatus {
    return {
      layout: this.#layout,
      onAir: layoutOnAir(this.#layout, this.#present),
      available: PROGRAM_LAYOUTS.filter((layout) => layoutOnAir(layout, this.#present) === layout),
      interpreter: this.#present.has('interpreter'),
      lowerThird: { ...this.#lowerThird },
      captionsBurnedIn: this.#captionsBurnedIn,
      renditions: this.renditions.map(({ name, width, height }) => ({ name, width, height })),
    };
  }

  static async start(options: ProgramOutputOptions): Promise<ProgramOutput> {
    const output = new ProgramOutput(options);

    try {
      await output.#launch();
    } catch (error) {
      await output.#teardown();
      output.#setState('failed', `the program failed to start: ${(error as Error).message}`);
      throw error;
    }

    return output;
  }

  /** Chooses the layout; it goes on air within about a second. */
  async setLayout(layout: ProgramLayout): Promise<void> {
    const needed = layoutNeeds(layout);

    if (needed !== undefined && !this.#present.has(needed)) throw new LayoutUnavailableError(layout, needed);
    this.#layout = layout;
    this.#logger.info({ layout }, 'program layout chosen');
    this.#changed();
  }

  /** Shows, hides or changes the lower third (event title and speaker name). */
  async setLowerThird(lowerThird: LowerThird): Promise<void> {
    this.#lowerThird = { ...lowerThird };
    await this.#writeLowerThirdTexts();
    this.#logger.info({ visible: lowerThird.visible }, 'program lower third changed');
    this.#changed();
  }

  /**
   * Moves the program into a rebuilt room, after the old one closed with its
   * media worker. New stand-ins start there, the inputs are fed from the new
   * room on the same ports, and the compositor restarts to publish the
   * program into the new room. The playlists go on after a discontinuity,
   * as after any restart of the compositor.
   */
  async moveTo(room: Room): Promise<void> {
    const { supervisor } = this.#options;

    this.#room = room;
    this.#logger.info({ roomId: room.id }, 'program moves to the rebuilt room');
    await this.#standIn?.stop();
    this.#standIn = await StandInSource.start({ room, supervisor, fps: this.#fps, logger: this.#logger, videoCodec: this.#options.videoCodec });
    await this.#inputs?.moveTo(room);
    // Without a running compositor a restart is due already, and it publishes into the new room.
    this.#restartReason = 'the room was rebuilt on a new media worker';
    this.#process?.restartNow(this.#restartReason);
  }

  /** Burns the live captions into the picture, or stops doing so; the HLS subtitle track goes on either way. */
  async setCaptionsBurnedIn(on: boolean): Promise<void> {
    this.#captionsBurnedIn = on;
    await this.#writeBurnedCaptions();
    this.#logger.info({ on }, 'burned-in captions changed');
    this.#changed();
  }

  /**
   * Stops the compositor. publishEnd: publish the playlists ffmpeg ended
   * (EXT-X-ENDLIST); false keeps the public ones open, for a shutdown after
   * which the event goes on.
   */
  async stop({ publishEnd = true } = {}): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    if (this.#state !== 'failed') this.#setState('stopping');
    await this.#teardown();
    if (publishEnd) {
      await Promise.all(this.#publishers.map((publisher) => publisher.publish().catch(() => false)));
      await this.#updateCaptions();
    }
    if (this.#state !== 'failed') this.#setState('stopped');
  }

  async #launch(): Promise<void> {
    const { supervisor } = this.#options;
    const room = this.#room;

    await rm(this.outputDir, { recursive: true, force: true });
    await mkdir(this.outputDir, { recursive: true });
    await this.#writeLowerThirdTexts();
    await this.#writeBurnedCaptions();
    await writeFile(
      this.playlistPath,
      buildMultivariantPlaylist(this.renditions, this.#fps, this.#options.config.encoding.aacBitrateKbps),
    );
    this.#publishers = this.renditions.map(
      (rendition) =>
        new PlaylistPublisher(join(this.outputDir, encoderPlaylistName(rendition)), join(this.outputDir, mediaPlaylistName(rendition))),
    );
    this.#captionTrack = new CaptionTrack({
      directory: this.outputDir,
      videoPlaylist: this.topPlaylistPath,
      captionsSince: this.#options.captionsSince ?? (() => []),
      logger: this.#logger,
    });

    this.#standIn = await StandInSource.start({ room, supervisor, fps: this.#fps, logger: this.#logger, videoCodec: this.#options.videoCodec });
    this.#inputs = await ProgramInputs.open(room, this.#logger, this.#options.videoCodec);
    this.#inputs.on('present', (present) => {
      this.#present = new Set(present);
      this.#logger.info({ present: [...present] }, 'program inputs changed');
      this.#changed();
    });

    const sdpPaths: string[] = [];

    for (const [index, sdp] of this.#inputs.sdps.entries()) {
      const path = join(this.outputDir, `program-input-${index}.sdp`);

      await writeFile(path, sdp);
      sdpPaths.push(path);
    }
    this.#zmqPort = await findFreeTcpPort();
    this.#zmq = new ZmqCommandClient(this.#zmqPort);
    await this.#publishProgram();

    this.#process = new RestartingProcess({
      supervisor,
      logger: this.#logger,
      spec: () => {
        this.#applied = this.#desired();

        return {
          name: 'program',
          command: resolveFfmpegPath(),
          args: buildProgramArgs({
            sdpPaths,
            clockOrigin: this.#clockOrigin,
            startSeconds: this.#markRunStart() / 1000 - Math.floor(this.#clockOrigin),
            zmqPort: this.#zmqPort,
            width: this.renditions[0]!.width,
            height: this.renditions[0]!.height,
            fps: this.#fps,
            renditions: this.renditions,
            encoding: this.#options.config.encoding,
            scene: this.#applied,
            lowerThird: this.#lowerThirdFiles(),
            captionsFile: this.#captionsFile(),
            outputDir: this.outputDir,
            encoderPlaylistName,
            playlistSegments: this.#options.config.hls.playlistSegments,
            video: this.#targets!.video,
            audio: this.#targets!.audio,
          }),
          logContext: { roomId: this.#room.id },
          stopTimeoutMs: 5000,
        };
      },
      // A restarted compositor starts new RTP streams, which viewers take best from new producers.
      beforeRestart: () => this.#publishProgram(),
    });
    this.#process.on('down', (exit, { delayMs }) => {
      const cause = this.#restartReason ?? `the compositor exited with ${exit.code ?? exit.signal}`;

      this.#restartReason = undefined;
      this.#logger.warn({ code: exit.code, stderr: exit.stderr.slice(-3), delayMs, cause }, 'program compositor stopped; restarting');
      this.#liveAfterSequence = this.#publishers[0]?.newestSequence ?? -1;
      // Failed until the restarted compositor delivers: staff see the alarm meanwhile.
      if (this.#state === 'live' || this.#state === 'starting') {
        this.#setState('failed', `${cause}; the compositor restarts in ${delayMs / 1000} s`);
      }
    });
    this.#process.on('up', () => void this.#inputs?.resume().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'program inputs failed to resume');
    }));
    this.#process.start();
    this.#timers.push(setInterval(() => void this.#checkPlaylists(), PLAYLIST_CHECK_MS));
    this.#timers.push(
      setInterval(() => {
        this.#writeBurnedCaptions().catch((error: unknown) => this.#logger.error({ err: error }, 'writing the burned-in captions failed'));
      }, CAPTION_REFRESH_MS),
    );
  }

  /**
   * Marks now as the start of the next compositor run in the playlist
   * publishers, which date its segments from it (the run's sound starts here,
   * with silence). Returns that moment in ms.
   */
  #markRunStart(): number {
    const now = Date.now();

    for (const publisher of this.#publishers) publisher.markRunStart(now);

    return now;
  }

  /** New "program" and "program-audio" producers for the next compositor process. */
  async #publishProgram(): Promise<void> {
    const room = this.#room;
    const top = this.renditions[0]!;
    const video = h264Ingest(h264Level(top.width, top.height, this.#fps));
    const audio = opusIngest();
    const previous = this.#ingests;
    const videoIngest = await room.createRtpIngest('program', 'video', video.rtpParameters);
    const audioIngest = await room.createRtpIngest('program-audio', 'audio', audio.rtpParameters);

    this.#ingests = [videoIngest, audioIngest];
    for (const ingest of previous) ingest.close();
    this.#targets = {
      video: { rtpPort: videoIngest.rtpPort, rtcpPort: videoIngest.rtcpPort, ssrc: video.ssrc, payloadType: video.payloadType },
      audio: { rtpPort: audioIngest.rtpPort, rtcpPort: audioIngest.rtcpPort, ssrc: audio.ssrc, payloadType: audio.payloadType },
    };
  }

  #desired(): SceneSettings {
    return sceneSettings({
      layout: layoutOnAir(this.#layout, this.#present),
      lecternCamera: this.#present.has('lectern-camera'),
      interpreter: this.#present.has('interpreter'),
      lowerThird: this.#lowerThird.visible,
      captions: this.#captionsBurnedIn,
    });
  }

  #changed(): void {
    this.emit('status', this.status);
    void this.#sync();
  }

  /** Sends the compositor the commands that bring it to the desired scene; retries after a failure. */
  async #sync(): Promise<void> {
    // Before its first segment the compositor may not listen yet; its start scene is the desired one then.
    if (this.#syncing || !this.#zmq || !this.#process?.current || this.#state !== 'live') return;
    this.#syncing = true;
    try {
      let desired = this.#desired();

      while (this.#applied === undefined || sceneCommands(this.#applied, desired).length > 0) {
        for (const command of sceneCommands(this.#applied, desired)) await this.#zmq.send(command);
        this.#applied = desired;
        desired = this.#desired();
      }
    } catch (error) {
      this.#applied = undefined;
      this.#logger.warn({ err: error }, 'program scene not applied yet; it is sent again');
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => void this.#sync(), RETRY_MS);
    } finally {
      this.#syncing = false;
    }
  }

  #captionsFile(): string {
    return join(this.outputDir, 'captions.txt');
  }

  /** Writes the caption lines on screen now (at most two, each for CAPTION_DISPLAY_MS), when they changed. */
  async #writeBurnedCaptions(): Promise<void> {
    const now = Date.now();
    const lines = this.#captionsBurnedIn
      ? (this.#options.captionsSince?.(now - CAPTION_DISPLAY_MS) ?? []).filter((caption) => caption.atMs <= now).slice(-2)
      : [];
    const text = lines.map((caption) => wrapCaption(caption.text)).join('\n');

    if (text === this.#burnedText && existsSync(this.#captionsFile())) return;
    this.#burnedText = text;
    await writeFile(`${this.#captionsFile()}.tmp`, text);
    await rename(`${this.#captionsFile()}.tmp`, this.#captionsFile());
  }

  #lowerThirdFiles(): { titleFile: string; nameFile: string } {
    return { titleFile: join(this.outputDir, 'lower-third-title.txt'), nameFile: join(this.outputDir, 'lower-third-name.txt') };
  }

  /** Writes the lower third's lines, each replaced at once (drawtext rereads them every frame). */
  async #writeLowerThirdTexts(): Promise<void> {
    const files = this.#lowerThirdFiles();

    for (const [file, text] of [[files.titleFile, this.#lowerThird.title], [files.nameFile, this.#lowerThird.name]] as const) {
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    }
  }

  async #checkPlaylists(): Promise<void> {
    for (const publisher of this.#publishers) await publisher.publish().catch(() => false);
    await this.#updateCaptions();
    const delivering = (this.#publishers[0]?.newestSequence ?? -1) > this.#liveAfterSequence;

    if ((this.#state === 'starting' || (this.#state === 'failed' && this.#process?.current)) && delivering) {
      this.#setState('live');
      void this.#sync();
    }
    if (!delivering && this.#process?.current && Date.now() - this.#keyFramesRequestedAt >= KEY_FRAME_RETRY_MS) {
      this.#keyFramesRequestedAt = Date.now();
      await this.#inputs?.resume().catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'keyframe request to the program inputs failed');
      });
    }
  }

  async #updateCaptions(): Promise<void> {
    await this.#captionTrack?.update().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'writing the caption track failed');
    });
  }

  async #teardown(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    clearTimeout(this.#retry);
    await this.#process?.stop();
    this.#zmq?.close();
    this.#inputs?.close();
    await this.#standIn?.stop();
    for (const ingest of this.#ingests) ingest.close();
    this.#ingests = [];
  }

  #setState(state: OutputState, reason?: string): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#failureReason = reason;
    if (state === 'failed') this.#logger.error({ reason }, 'output failed');
    else this.#logger.info({ state, reason }, 'output state changed');
    this.emit('state', state, reason);
  }
}
