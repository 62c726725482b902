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

    this.#room = await sfu.createRoom(this.eventId);
    this.#room.once('close', () => this.#onRoomClosed());
    this.#room.on('producer', (source) => this.emit('producer', source));
    const devices = this.#deps.devices;

    this.#venue = await VenueSource.start({
      room: this.#room,
      supervisor,
      config: { ...config, venue: devices?.venueConfig() ?? config.venue },
      logger: this.#logger,
      devices,
    });
    this.#venue.on('level', (level) => this.emit('level', level));
    this.#venue.on('status', (status) => this.emit('venue', status));
    await this.#waitForFirstPackets(this.#room);
    this.#setOutput('room', 'live');

    this.#program = await ProgramOutput.start({
      room: this.#room,
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
  }

  /**
   * Stops cleanly: the program finishes its playlists first, then the
   * capture stops and the room closes. Safe to call more than once.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#logger.info('stopping live event');

    await this.#program?.stop().catch((error: unknown) => {
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

  #onRoomClosed(): void {
    if (this.#stopping) return;
    this.#fail({ code: 'media-worker-stopped', reason: 'the room closed unexpectedly (the media worker stopped)' });
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
