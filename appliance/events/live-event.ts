import type { TimedCaption } from '../../streams/hls/caption-track.js';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { PodiumConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import type { DeviceSetup } from '../devices/device-setup.js';
import type { Room } from '../sfu/room.js';
import type { SourceLabel } from '../sfu/source-labels.js';
import type { Sfu } from '../sfu/sfu.js';
import type { EventFailure } from '../store/store.js';
import type { AudioLevel } from '../../capture/audio-level.js';
import { VenueSource, type VenueStatus } from '../../capture/venue-source.js';
import { mediaPlaylistName } from '../../streams/hls/hls-files.js';
import { ProgramOutput, type LowerThird, type ProgramStatus } from '../../streams/program/program-output.js';
import type { ProgramLayout } from '../../streams/program/program-layout.js';
import { renditionsFor } from '../../streams/program/renditions.js';
import type { OutputState } from '../../streams/output.js';

/** How long Start waits for the venue source's first packets in the room. */
const FIRST_PACKETS_TIMEOUT_MS = 20_000;
const FIRST_PACKETS_CHECK_MS = 200;

export type LiveOutputs = { room: OutputState; hls: OutputState };

export type LiveEventEvents = {
  outputs: [LiveOutputs];
  level: [AudioLevel];
  /** The camera or the microphone went away or came back; the captures restart by themselves. */
  venue: [VenueStatus];
  /** A source of the room got a new producer. */
  producer: [SourceLabel];
  /** The program's layout, lower third or available sources changed. */
  program: [ProgramStatus];
  /** A part the event cannot go on without broke; the reason names it. */
  failed: [EventFailure];
};

export type LiveEventDeps = {
  sfu: Sfu;
  supervisor: Supervisor;
  config: PodiumConfig;
  /** Root of the HLS tree; this run writes to <hlsRoot>/<eventId>/. */
  hlsRoot: string;
  logger: Logger;
  /** The chosen venue camera and microphone, their listings and claims; without it, the configuration's devices. */
  devices?: Pick<DeviceSetup, 'discovery' | 'claims' | 'venueConfig'>;
  /** The program's scene to start with (after a restart of Podium, the one it had). */
  program?: { layout?: ProgramLayout; lowerThird?: LowerThird };
  /** Returns an event's live captions since a wall-clock time (ms), for the program's subtitle track. */
  captionsSince?: (eventId: string, fromMs: number) => TimedCaption[];
};

/**
 * One run of an event: its room, the venue source publishing into it and the
 * program composed from the room's sources (HLS renditions and the program
 * in the room). start() resolves once the room receives the venue's audio
 * and video; the program's HLS output reports "live" on its own later.
 */
export class LiveEvent extends EventEmitter<LiveEventEvents> {
  readonly eventId: string;
  readonly #deps: LiveEventDeps;
  readonly #logger: Logger;
  #room: Room | undefined;
  #venue: VenueSource | undefined;
  #program: ProgramOutput | undefined;
  #outputs: LiveOutputs = { room: 'starting', hls: 'starting' };
  #stopping = false;
  /** Set once start() has brought the program up; a room lost before that fails the start. */
  #started = false;
  /** The reason the room is being rebuilt, while it is. */
  #rebuildReason: string | undefined;

  constructor(eventId: string, deps: LiveEventDeps) {
    super();
    this.eventId = eventId;
    this.#deps = deps;
    this.#logger = deps.logger.child({ eventId });
  }

  get outputs(): LiveOutputs {
    return { ...this.#outputs };
  }

  /** Whether camera and microphone deliver, while the venue source runs. */
  get venueStatus(): VenueStatus | undefined {
    return this.#venue?.status;
  }

  /** The venue source, for tests and diagnostics. */
  get venue(): VenueSource | undefined {
    return this.#venue;
  }

  /** The reason the room is being rebuilt on a new media worker, while it is; staff see it as an alarm. */
  get roomRebuildReason(): string | undefined {
    return this.#rebuildReason;
  }

  /** The room of this run, while it is open. */
  get room(): Room | undefined {
    return this.#room?.closed ? undefined : this.#room;
  }

  /** The program, once it runs: layout, lower third, renditions. */
  get program(): ProgramOutput | undefined {
    return this.#program;
  }

  /**
   * The top rendition's media playlist, which the recording and the
   * restreams follow (they reuse its H.264 and AAC).
   */
  get hlsPlaylistPath(): string {
    const { video } = this.#deps.config.venue;
    const top = renditionsFor(video.width, video.height, this.#deps.config.encoding.videoBitrateKbps)[0]!;

    return join(this.#deps.hlsRoot, this.eventId, mediaPlaylistName(top));
  }

  async start(): Promise<void> {
    const { sfu, supervisor, config } = this.#deps;
    const room = this.#adoptRoom(await sfu.createRoom(this.eventId));
    const devices = this.#deps.devices;

    await this.#startVenue(room);
    await this.#waitForFirstPackets(room);
    this.#setOutput('room', 'live');

    this.#program = await ProgramOutput.start({
      room,
      supervisor,
      config: { ...config, venue: devices?.venueConfig() ?? config.venue },
      outputDir: join(this.#deps.hlsRoot, this.eventId),
      logger: this.#logger,
      initial: this.#deps.program,
      captionsSince: (fromMs) => this.#deps.captionsSince?.(this.eventId, fromMs) ?? [],
    });
    this.#program.on('state', (state) => {
      this.#setOutput('hls', state);
      // Watch pages move from the venue to the program once it delivers.
      if (state === 'live') this.emit('producer', 'program-audio');
    });
    this.#program.on('status', (status) => this.emit('program', status));
    this.#started = true;
  }

  /**
   * Stops cleanly: the program finishes its playlists first, then the
   * capture stops and the room closes. Safe to call more than once.
   * endPlaylists: false for a shutdown after which the event goes on, so
   * that the public playlists get no end tag.
   */
  async stop({ endPlaylists = true } = {}): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#logger.info({ endPlaylists }, 'stopping live event');

    await this.#program?.stop({ publishEnd: endPlaylists }).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'program failed to stop');
    });
    await this.#venue?.stop().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'venue source failed to stop');
    });
    this.#room?.close();
    this.#setOutput('room', 'stopped');
    // A start that was stopped or failed before the program ran leaves "starting" behind.
    this.#setOutput('hls', this.#program?.state === 'failed' ? 'failed' : 'stopped');
  }

  async #waitForFirstPackets(room: Room): Promise<void> {
    const deadline = Date.now() + FIRST_PACKETS_TIMEOUT_MS;

    while (Date.now() < deadline) {
      if (room.closed || this.#stopping) throw new Error('the room closed while starting');

      const video = await room.producerStats('venue-camera');
      const audio = await room.producerStats('venue-mic');

      if ((video?.packetCount ?? 0) > 0 && (audio?.packetCount ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, FIRST_PACKETS_CHECK_MS));
    }
    throw new Error(
      `the venue source sent no audio and video within ${FIRST_PACKETS_TIMEOUT_MS / 1000} s; ` +
        'check the camera and microphone in the configuration (venue.video, venue.audio)',
    );
  }

  /** Makes a new room this run's room and follows it. */
  #adoptRoom(room: Room): Room {
    this.#room = room;
    room.once('close', () => this.#onRoomClosed(room));
    room.on('producer', (source) => this.emit('producer', source));

    return room;
  }

  /** Starts the venue source publishing into the room. */
  async #startVenue(room: Room): Promise<VenueSource> {
    const { supervisor, config, devices } = this.#deps;
    const venue = await VenueSource.start({
      room,
      supervisor,
      config: { ...config, venue: devices?.venueConfig() ?? config.venue },
      logger: this.#logger,
      devices,
    });

    this.#venue = venue;
    venue.on('level', (level) => this.emit('level', level));
    venue.on('status', (status) => this.emit('venue', status));

    return venue;
  }

  /**
   * A room closes by itself only when its media worker dies. A running
   * event rebuilds it on the worker that replaces the dead one. A start
   * that had not brought the program up yet fails instead, and so does the
   * event once the Sfu has given up on its workers.
   */
  #onRoomClosed(room: Room): void {
    if (this.#stopping || room !== this.#room || this.#rebuildReason !== undefined) return;
    if (!this.#started || this.#deps.sfu.closed) {
      this.#fail({ code: 'media-worker-stopped', reason: 'the room closed unexpectedly (the media worker stopped)' });

      return;
    }
    void this.#rebuildRoom();
  }

  /**
   * Rebuilds the room on the new media worker: the venue capture publishes
   * into the new room, then the program moves there. A room that closes
   * again meanwhile (another death) is rebuilt again; the Sfu's backoff
   * paces the attempts, and once it gives up the event fails.
   */
  async #rebuildRoom(): Promise<void> {
    const startedAt = Date.now();

    this.#rebuildReason = 'the media worker stopped; Podium rebuilds the room on a new worker';
    this.#logger.warn('room closed with its media worker; rebuilding it');
    this.#setOutput('room', 'starting');
    try {
      do {
        await this.#rebuildOnce();
      } while (this.#room?.closed && !this.#stopping);
    } catch (error) {
      this.#rebuildReason = undefined;
      if (this.#stopping) return;
      this.#fail({
        code: 'media-worker-stopped',
        reason: `the media worker stopped and the room could not be rebuilt: ${(error as Error).message}`,
      });

      return;
    }
    if (this.#stopping) return;
    this.#rebuildReason = undefined;

    const durationMs = Date.now() - startedAt;

    this.#logger.info({ durationMs }, 'room rebuilt on a new media worker');
    this.#setOutput('room', 'live');
  }

  async #rebuildOnce(): Promise<void> {
    const previousVenue = this.#venue;
    const { sfu } = this.#deps;
    let room: Room | undefined;

    this.#venue = undefined;
    // The capture's processes and device claims go before its successor takes them.
    await previousVenue?.stop().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'venue source failed to stop');
    });
    if (this.#stopping) return;
    try {
      room = this.#adoptRoom(await sfu.createRoom(this.eventId));

      // NOTE: a new venue source brings a new simulated PTZ camera (test picture only), which starts at its home position.
      const venue = await this.#startVenue(room);

      if (this.#stopping) {
        // stop() may have passed the venue already.
        await venue.stop();
        room.close();

        return;
      }
      // The program takes its stand-ins until the venue delivers, so it need not wait for it.
      await Promise.all([this.#waitForFirstPackets(room), this.#program?.moveTo(room)]);
    } catch (error) {
      // Another death took the new room or its worker: rebuildRoom() starts over, paced by the Sfu's backoff.
      if (this.#stopping || sfu.closed || !(room?.closed || sfu.recovering)) throw error;
      this.#logger.warn({ err: error }, 'the rebuilt room closed too; rebuilding it again');
    }
  }

  #fail(failure: EventFailure): void {
    if (this.#stopping) return;
    this.#setOutput('room', 'failed');
    this.#logger.error({ failure }, 'live event failed');
    this.emit('failed', failure);
  }

  #setOutput(output: keyof LiveOutputs, state: OutputState): void {
    if (this.#outputs[output] === state) return;
    this.#outputs = { ...this.#outputs, [output]: state };
    this.emit('outputs', this.outputs);
  }
}
