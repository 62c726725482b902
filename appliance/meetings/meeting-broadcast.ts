import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProgramOutput } from '../../streams/program/program-output.js';
import type { PodiumConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import type { MeetingRecordingRun } from '../recording/recording-service.js';
import type { MeetingRouter } from '../sfu/meeting-router.js';
import type { Room } from '../sfu/room.js';
import type { SourceLabel } from '../sfu/source-labels.js';
import { chooseBroadcastSources } from './broadcast-sources.js';
import type { MeetingSession } from './meeting-session.js';

export type MeetingBroadcastDeps = {
  createRoom: (roomId: string) => Promise<Room>;
  supervisor: Supervisor;
  config: Pick<PodiumConfig, 'encoding' | 'hls' | 'venue'>;
  /** The HLS tree served under /hls/; the broadcast writes to <hlsRoot>/<broadcast id>/. */
  hlsRoot: string;
  recordMeeting: (meeting: { id: string; name: string }, playlistPath: string) => Promise<MeetingRecordingRun>;
  logger: Logger;
};

/** The outputs staff request of a meeting's broadcast. */
export type BroadcastRequest = { streaming: boolean; recording: boolean };

/**
 * A meeting's program while staff stream it to HLS, record it, or both.
 * It runs the event's compositor (ProgramOutput, with VP8 inputs) on a room
 * of its own on worker 0. The meeting's tracks are piped into that room
 * under the program's source labels (see chooseBroadcastSources), so the
 * program composes the active speaker's camera, or a shared screen with its
 * sharer's camera, and the voices of the three most recent speakers. The
 * recording follows the program's top rendition like an event's. The
 * program stops when staff request neither output. The meeting's pages show
 * both tallies from the request until the stop.
 */
export class MeetingBroadcast {
  /** The id of this program's HLS directory and URL; a later broadcast of the meeting gets a new one. */
  readonly id = randomUUID();
  readonly #deps: MeetingBroadcastDeps;
  readonly #meeting: { id: string; name: string };
  readonly #session: MeetingSession;
  readonly #logger: Logger;
  #request: BroadcastRequest = { streaming: false, recording: false };
  #room: Room | undefined;
  #program: ProgramOutput | undefined;
  #recording: Promise<MeetingRecordingRun | undefined> | undefined;
  /** Cancels a recording that waits for the program's first segments. */
  #recordingWait: AbortController | undefined;
  #router: MeetingRouter | undefined;
  /** Peer ids, most recent active speaker first. */
  #speakers: string[] = [];
  /** The meeting track piped into the room for each source label, by producer id. */
  readonly #piped = new Map<SourceLabel, string>();
  /** Serialises start, stop and the changes of the piped tracks. */
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(meeting: { id: string; name: string }, session: MeetingSession, deps: MeetingBroadcastDeps) {
    this.#meeting = meeting;
    this.#session = session;
    this.#deps = deps;
    this.#logger = deps.logger.child({ meetingId: meeting.id, broadcastId: this.id });
    if (session.activeSpeaker) this.#speakers.push(session.activeSpeaker);
    session.on('router', this.#onRouter);
    void session.currentRouter()?.then(this.#onRouter, () => undefined);
  }

  get streaming(): boolean {
    return this.#request.streaming;
  }

  get recording(): boolean {
    return this.#request.recording;
  }

  /** True while staff request neither output, so the service drops the broadcast. */
  get idle(): boolean {
    return !this.#request.streaming && !this.#request.recording;
  }

  /** The multivariant playlist's URL path while the broadcast streams, else null. */
  get hlsUrl(): string | null {
    return this.#request.streaming ? `/hls/${this.id}/index.m3u8` : null;
  }

  /** The program's state, for tests and status: undefined while it is down. */
  get programState(): string | undefined {
    return this.#program?.state;
  }

  /** Returns the running recording's id, or undefined. */
  async recordingId(): Promise<string | undefined> {
    return (await this.#recording)?.recordingId;
  }

  /**
   * Applies what staff want: starts the program with the first of HLS and
   * recording, starts or stops the recording, and stops the program when
   * neither is requested. Resolves when the program has started (not yet
   * delivered) or stopped.
   */
  set(request: BroadcastRequest): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#request = { ...request };
    this.#session.setTally({ recording: request.recording, streaming: request.streaming });

    return this.#enqueue(() => this.#apply());
  }

  /** Stops everything: the meeting ended, emptied or was deleted, or Podium stops. */
  stop(reason: string): Promise<void> {
    if (this.#stopped) return this.#queue;
    this.#stopped = true;
    this.#request = { streaming: false, recording: false };
    this.#session.setTally({ recording: false, streaming: false });
    this.#session.off('router', this.#onRouter);
    this.#detachRouter();
    this.#logger.info({ reason }, 'meeting broadcast stops');

    return this.#enqueue(() => this.#apply());
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);

    this.#queue = next.catch((error: unknown) => {
      this.#logger.error({ err: error }, 'meeting broadcast step failed');
    });

    return next;
  }

  async #apply(): Promise<void> {
    const needed = this.#request.streaming || this.#request.recording;

    if (needed && !this.#program) await this.#startProgram();
    if (this.#request.recording && !this.#recording) this.#startRecording();
    if (!this.#request.recording && this.#recording) await this.#stopRecording();
    if (!needed && this.#program) await this.#stopProgram();
  }

  async #startProgram(): Promise<void> {
    const room = await this.#openRoom();

    try {
      this.#program = await ProgramOutput.start({
        room,
        supervisor: this.#deps.supervisor,
        config: this.#deps.config,
        outputDir: join(this.#deps.hlsRoot, this.id),
        logger: this.#logger,
        // The program shows the camera layout while no participant shares a screen (see layoutOnAir).
        initial: { layout: 'slides-camera' },
        videoCodec: 'vp8',
      });
    } catch (error) {
      room.close();
      this.#room = undefined;
      throw error;
    }
    this.#logger.info({ roomId: room.id }, 'meeting program started');
    this.#refreshSources();
  }

  /** Creates the program's room on worker 0 and follows its piped producers and its close. */
  async #openRoom(): Promise<Room> {
    const room = await this.#deps.createRoom(`meeting-${this.#meeting.id}`);

    this.#room = room;
    room.on('producerclose', (label) => {
      if (!this.#piped.has(label)) return;
      this.#piped.delete(label);
      this.#refreshSources();
    });
    room.once('close', () => {
      // A room that closes while the program runs, and not by #stopProgram, closed with worker 0.
      if (this.#room !== room || !this.#program) return;
      this.#logger.warn({ roomId: room.id }, 'meeting program room closed with its media worker; rebuilding it');
      this.#piped.clear();
      void this.#enqueue(() => this.#rebuildRoom());
    });

    return room;
  }

  /**
   * Moves the program into a new room after the old one closed with its
   * media worker (Sfu.createRoom waits for the replacement), as an event's
   * program moves. The tracks are piped again from the meeting's router.
   */
  async #rebuildRoom(): Promise<void> {
    const program = this.#program;

    if (!program) return;

    const room = await this.#openRoom();

    await program.moveTo(room);
    this.#logger.info({ roomId: room.id }, 'meeting program moved to the rebuilt room');
    this.#refreshSources();
  }

  async #stopProgram(): Promise<void> {
    const program = this.#program;
    const outputDir = program?.outputDir;

    this.#program = undefined;
    await program?.stop();
    this.#room?.close();
    this.#room = undefined;
    this.#piped.clear();
    // The broadcast's segments are not kept: the recording has its own file.
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
    this.#logger.info('meeting program stopped');
  }

  /** Starts the recording once the program delivers segments; a failure clears the recording request. */
  #startRecording(): void {
    const program = this.#program!;
    const wait = new AbortController();

    this.#recordingWait = wait;
    this.#recording = waitUntilLive(program, wait.signal)
      .then(() => (this.#request.recording ? this.#deps.recordMeeting(this.#meeting, program.topPlaylistPath) : undefined))
      .then((run) => {
        void run?.ended.then((reason) => this.#onRecordingEnded(run, reason));

        return run;
      })
      .catch((error: unknown) => {
        if (wait.signal.aborted) return undefined;
        this.#logger.error({ err: error }, 'meeting recording failed to start');
        this.#recording = undefined;
        if (!this.#stopped) void this.set({ ...this.#request, recording: false });

        return undefined;
      });
  }

  async #stopRecording(): Promise<void> {
    this.#recordingWait?.abort();

    const run = await this.#recording;

    this.#recording = undefined;
    await run?.stop();
  }

  /**
   * A recording that ended without the broadcast's stop (disk full, write
   * failed, Podium stops) clears the request and the tally.
   */
  #onRecordingEnded(run: MeetingRecordingRun, reason: string): void {
    if (reason === 'requested' || this.#stopped) return;
    void this.#recording?.then((current) => {
      if (current !== run) return;
      this.#recording = undefined;
      void this.set({ ...this.#request, recording: false });
    });
  }

  readonly #onRouter = (router: MeetingRouter): void => {
    if (this.#stopped || router.closed || router === this.#router) return;
    this.#detachRouter();
    this.#router = router;
    router.on('tracks', this.#refreshSources);
    router.on('activespeaker', this.#onActiveSpeaker);
    router.once('close', this.#detachRouter);
    this.#refreshSources();
  };

  readonly #detachRouter = (): void => {
    const router = this.#router;

    if (!router) return;
    router.off('tracks', this.#refreshSources);
    router.off('activespeaker', this.#onActiveSpeaker);
    router.off('close', this.#detachRouter);
    this.#router = undefined;
  };

  readonly #onActiveSpeaker = (peerId: string): void => {
    this.#speakers = [peerId, ...this.#speakers.filter((other) => other !== peerId)];
    this.#refreshSources();
  };

  readonly #refreshSources = (): void => {
    void this.#enqueue(() => this.#pipeSources());
  };

  /**
   * Pipes the chosen tracks into the room. A track can be piped into a
   * router only once (the piped producer keeps its id), so every label whose
   * track changes is closed before any new track is piped.
   */
  async #pipeSources(): Promise<void> {
    const room = this.#room;
    const router = this.#router;

    if (!room || room.closed || !router || router.closed) return;

    const tracks = router.tracks().map(({ peerId, source, producer }) => ({ peerId, source, producerId: producer.id }));
    const chosen = chooseBroadcastSources(tracks, this.#speakers, this.#piped);

    for (const [label, producerId] of [...this.#piped]) {
      if (chosen.get(label) === producerId) continue;
      this.#piped.delete(label);
      room.closeSource(label);
    }
    for (const [label, producerId] of chosen) {
      if (this.#piped.has(label)) continue;
      try {
        await room.adoptPipedProducer(label, (target) => router.pipeToRouter(producerId, target));
        this.#piped.set(label, producerId);
        this.#logger.info({ source: label, producerId }, 'meeting track piped into the program');
      } catch (error) {
        // The track ended meanwhile, or the room or router closed; the next change chooses again.
        this.#logger.warn({ err: error, source: label, producerId }, 'meeting track not piped into the program');
      }
    }
  }
}

/** Resolves when the program delivers HLS segments; rejects when it stops first or the signal aborts. */
function waitUntilLive(program: ProgramOutput, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (program.state === 'live') {
      resolve();

      return;
    }

    const finish = (error?: Error): void => {
      program.off('state', onState);
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onState = (state: string): void => {
      if (state === 'live') finish();
      else if (state === 'stopped' || state === 'stopping') finish(new Error('the meeting program stopped before it delivered'));
    };
    const onAbort = (): void => finish(new Error('the recording was stopped before the program delivered'));

    program.on('state', onState);
    signal.addEventListener('abort', onAbort);
  });
}
