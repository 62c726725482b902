import type { TimedCaption } from '../../streams/hls/caption-track.js';
import { EventEmitter } from 'node:events';
import type { AudioLevel } from '../../capture/audio-level.js';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Room } from '../sfu/room.js';
import type { SourceLabel } from '../sfu/source-labels.js';
import type { EventInfo, EventSnapshot, RecordingStatus, RestreamStatus, StageQuestion, StaffEventInfo } from '../signaling/protocol.js';
import type { EventFailure, EventRecord, EventStateFields, NewEvent, ProgramScene, Store } from '../store/store.js';
import { decideRestore, HEARTBEAT_INTERVAL_MS, HEARTBEAT_KEY, type RestoreDecision } from './event-restore.js';
import { isRunning, isStartable, transition, type EventState } from './event-state.js';
import { LiveEvent, type LiveEventDeps } from './live-event.js';

const SELECTED_EVENT_KEY = 'selectedEventId';

export type EventControllerEvents = {
  /** The snapshot that pages show changed. */
  change: [EventSnapshot];
  /** The venue microphone level of the running event. */
  level: [AudioLevel];
  /** A source of the running event's room got a new producer. */
  producer: [SourceLabel];
};

function toInfo(record: EventRecord): EventInfo {
  const { id, title, description, startsAt, state, failureCode, failureReason, liveSince, endedAt } = record;

  return {
    id,
    title,
    description,
    startsAt,
    state,
    failureCode,
    failureReason,
    liveSince,
    endedAt,
    hasAccessCode: record.accessCode !== null,
    hasLobby: record.lobby,
  };
}

export type { StaffEventInfo };

/** A service whose status the snapshot carries: its status and a "change" event when it changes. */
export type StatusSource<T> = {
  readonly status: T;
  on(event: 'change', listener: () => void): unknown;
};

function toStaffInfo(record: EventRecord): StaffEventInfo {
  return { ...toInfo(record), accessCode: record.accessCode, keepTexts: record.keepTexts };
}

/** The question each event shows on the venue screen, and a "stage" event when it changes. */
export type StageSource = {
  stageQuestion(eventId: string): StageQuestion | null;
  on(event: 'stage', listener: () => void): unknown;
}

/**
 * Runs events: one at a time, through their states, persisted in the store.
 * Start and Stop go through here; pages follow the snapshot it emits.
 */
export class EventController extends EventEmitter<EventControllerEvents> {
  readonly #store: Store;
  readonly #deps: LiveEventDeps;
  readonly #logger: Logger;
  readonly #hlsFallbackSeconds: number;
  #live: LiveEvent | undefined;
  #recording: StatusSource<RecordingStatus> | undefined;
  #restreams: StatusSource<RestreamStatus[]> | undefined;
  #stage: StageSource | undefined;
  #captionsSince: ((eventId: string, fromMs: number) => TimedCaption[]) | undefined;
  #viewers = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  /** Set by close(): the running event stays running in the store for the next start to restore. */
  #closing = false;

  constructor(store: Store, deps: LiveEventDeps) {
    super();
    this.#store = store;
    this.#deps = deps;
    this.#logger = deps.logger.child({ module: 'events' });
    this.#hlsFallbackSeconds = deps.config.watch.hlsFallbackSeconds;
  }

  /** Lists every event with the fields only staff see. */
  list(): StaffEventInfo[] {
    return this.#store.listEvents().map(toStaffInfo);
  }

  /** Returns the event with this id, or undefined. */
  find(id: string): StaffEventInfo | undefined {
    const record = this.#store.getEvent(id);

    return record ? toStaffInfo(record) : undefined;
  }

  get(id: string): StaffEventInfo {
    return toStaffInfo(this.#require(id));
  }

  create(event: NewEvent): StaffEventInfo {
    const record = this.#store.createEvent(event);

    this.#logger.info({ eventId: record.id, hasAccessCode: record.accessCode !== null }, 'event created');

    return toStaffInfo(record);
  }

  /** Makes an event the one the console and the watch page show. */
  select(id: string): EventSnapshot {
    const running = this.#runningRecord();

    this.#require(id);
    if (running && running.id !== id) throw podiumError('PODIUM_ERR_OTHER_EVENT_RUNNING', running.id);
    this.#store.setSetting(SELECTED_EVENT_KEY, id);
    this.#logger.info({ eventId: id }, 'event selected');

    return this.#publish();
  }

  /** Turns an event's lobby on or off; pages follow at once. */
  setLobby(id: string, enabled: boolean): StaffEventInfo {
    this.#require(id);
    this.#store.setEventLobby(id, enabled);
    this.#logger.info({ eventId: id, enabled }, 'event lobby changed');
    this.#publish();

    return this.get(id);
  }

  /** The running event's live run, for tests and diagnostics. */
  get liveEvent(): LiveEvent | undefined {
    return this.#live;
  }

  /** The room of the running event, if it has one open. */
  get room(): Room | undefined {
    return this.#live?.room;
  }

  snapshot(): EventSnapshot {
    const record = this.#currentRecord();
    const live = record && this.#live?.eventId === record.id ? this.#live : undefined;
    const started = record && (record.liveSince !== null || isRunning(record.state));

    return {
      event: record ? toInfo(record) : null,
      outputs: live ? live.outputs : null,
      roomRebuilding: live?.roomRebuildReason,
      hlsFailure: live?.program?.state === 'failed' ? live.program.failureReason : undefined,
      hlsUrl: record && started ? `/hls/${record.id}/index.m3u8` : null,
      viewers: this.#viewers,
      hlsFallbackSeconds: this.#hlsFallbackSeconds,
      accessGranted: true,
      lobby: null,
      stageQuestion: record ? (this.#stage?.stageQuestion(record.id) ?? null) : null,
      venue: live?.venueStatus ?? null,
      recording: this.#recording?.status ?? null,
      restreams: this.#restreams?.status ?? null,
      program: live?.program?.status ?? null,
    };
  }

  /** Adds the recording's tally and alarms and the restreams' states to the snapshots; each change publishes one. */
  attachStatus(parts: { recording: StatusSource<RecordingStatus>; restreams: StatusSource<RestreamStatus[]> }): void {
    this.#recording = parts.recording;
    this.#restreams = parts.restreams;
    // After close() the store may be closed already, while a restream or the recording still reports its stop.
    parts.recording.on('change', () => {
      if (!this.#closing) this.#publish();
    });
    parts.restreams.on('change', () => {
      if (!this.#closing) this.#publish();
    });
  }

  /** Adds the venue screen's question to the snapshots; each change publishes one. */
  /** Gives each run of an event its live captions, for the HLS subtitle track. */
  attachCaptions(captionsSince: (eventId: string, fromMs: number) => TimedCaption[]): void {
    this.#captionsSince = captionsSince;
  }

  attachStage(stage: StageSource): void {
    this.#stage = stage;
    stage.on('stage', () => this.#publish());
  }

  setViewerCount(count: number): void {
    if (count === this.#viewers) return;
    this.#viewers = count;
    this.#publish();
  }

  /**
   * Starts an event: it moves to "starting" at once and to "live" when the
   * room receives the venue's audio and video, or to "failed" with a reason.
   */
  start(id: string): EventSnapshot {
    const record = this.#require(id);
    const running = this.#runningRecord();

    if (running && running.id !== id) throw podiumError('PODIUM_ERR_OTHER_EVENT_RUNNING', running.id);
    if (!isStartable(record.state)) throw podiumError('PODIUM_ERR_EVENT_NOT_STARTABLE', id, record.state);

    this.#store.setSetting(SELECTED_EVENT_KEY, id);
    this.#store.setProgramScene(id, null);
    this.#setState(record, 'starting', { liveSince: null, endedAt: null });
    this.#run(id, undefined, (error) => ({ code: 'start-failed', reason: `start failed: ${error.message}` }));

    return this.snapshot();
  }

  /**
   * Handles the events that were running when Podium stopped (a crash,
   * kill -9, a restart): the newest "starting" or "live" one is started
   * again with a new room and capture and the program scene it had, if
   * Podium was down for less than RESTORE_WINDOW_MS. A "stopping" one ends.
   * Any other fails as "interrupted" with the reason. Returns the restored
   * event's id and the time its run went live, for the services that
   * continue with it.
   */
  restoreInterrupted(): { eventId: string; liveSince: string } | undefined {
    const seenAt = this.#store.getSetting(HEARTBEAT_KEY);
    let restored: EventRecord | undefined;

    // listEvents() returns the newest first, and only one event can run.
    for (const record of this.#store.listEvents().filter((event) => isRunning(event.state))) {
      const onlyOne: RestoreDecision = {
        action: 'fail',
        failure: { code: 'interrupted', reason: `Podium restored event ${restored?.id} instead; start it again` },
      };
      const decision = restored ? onlyOne : decideRestore(record, seenAt, new Date());

      if (decision.action === 'end') {
        this.#store.updateEventState(record.id, 'ended', { endedAt: new Date().toISOString() });
        this.#logger.warn({ eventId: record.id }, 'event that was stopping when Podium stopped marked ended');
        this.#purgeTexts(record);
      } else if (decision.action === 'fail') {
        this.#store.updateEventState(record.id, 'failed', { failure: decision.failure });
        this.#logger.warn({ eventId: record.id, state: record.state, failure: decision.failure }, 'interrupted event marked failed');
      } else {
        restored = record;
      }
    }
    if (!restored) return undefined;

    const liveSince = restored.liveSince ?? new Date().toISOString();
    const scene = this.#store.getProgramScene(restored.id);

    this.#store.setSetting(SELECTED_EVENT_KEY, restored.id);
    // Only a restore moves a live event back to "starting", so the state machine's table does not offer it.
    this.#store.updateEventState(restored.id, 'starting', { liveSince });
    this.#logger.warn({ eventId: restored.id, from: restored.state, to: 'starting', scene }, 'restoring the event that was running');
    this.#run(restored.id, scene, (error) => ({
      code: 'interrupted',
      reason: `Podium restarted while the event was running and could not restore it (${error.message}); start it again`,
    }));
    this.#publish();

    return { eventId: restored.id, liveSince };
  }

  /** Stops the running event; resolves when its processes have finished. */
  async stop(id: string): Promise<EventSnapshot> {
    const record = this.#require(id);
    const live = this.#live;

    if (!live || live.eventId !== id || (record.state !== 'starting' && record.state !== 'live')) {
      throw podiumError('PODIUM_ERR_EVENT_NOT_RUNNING', id, record.state);
    }
    this.#setState(record, 'stopping');
    this.#stopHeartbeat();
    await live.stop();
    this.#setState(this.#require(id), 'ended', { endedAt: new Date().toISOString() });
    this.#purgeTexts(record);
    this.#publish();

    return this.snapshot();
  }

  /**
   * Stops whatever runs, for shutdown. A running event keeps its state in the
   * store, so that the next start restores it (see restoreInterrupted).
   */
  async close(): Promise<void> {
    const live = this.#live;

    this.#closing = true;
    if (!live) return;
    this.#stopHeartbeat();
    this.#store.setSetting(HEARTBEAT_KEY, new Date().toISOString());
    this.#logger.info({ eventId: live.eventId }, 'event left running for the next start of Podium to restore');
    // The playlists stay open: the event goes on after the restart, so players must not see its end.
    await live.stop({ endPlaylists: false });
  }

  /** Runs an event whose state is "starting": a new LiveEvent, with the program scene to start with. */
  #run(id: string, scene: ProgramScene | undefined, startFailure: (error: Error) => EventFailure): void {
    const live = new LiveEvent(id, { ...this.#deps, program: scene, captionsSince: this.#captionsSince });

    this.#live = live;
    this.#startHeartbeat();
    // After close() the store may be closed already, while the run still reports its stop.
    live.on('outputs', () => {
      if (!this.#closing) this.#publish();
    });
    live.on('venue', () => {
      if (!this.#closing) this.#publish();
    });
    live.on('producer', (source) => this.emit('producer', source));
    live.on('program', (status) => {
      if (this.#closing) return;
      this.#saveScene(id, { layout: status.layout, lowerThird: status.lowerThird });
      this.#publish();
    });
    live.on('level', (level) => this.emit('level', level));
    live.once('failed', (failure) => void this.#failRunning(live, failure));
    void live.start().then(
      () => this.#onLive(live),
      (error: unknown) => this.#failRunning(live, startFailure(error as Error)),
    );
  }

  /** Stores the program scene staff chose, so that a restore starts with it. */
  #saveScene(id: string, scene: ProgramScene): void {
    const stored = this.#store.getProgramScene(id);

    if (JSON.stringify(stored) === JSON.stringify(scene)) return;
    this.#store.setProgramScene(id, scene);
    this.#logger.info({ eventId: id, layout: scene.layout, lowerThird: scene.lowerThird.visible }, 'program scene stored');
  }

  /** Notes in the store, every few seconds, that the event still runs; the next start reads how long Podium was down. */
  #startHeartbeat(): void {
    this.#stopHeartbeat();

    const beat = () => this.#store.setSetting(HEARTBEAT_KEY, new Date().toISOString());

    beat();
    this.#heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** Deletes an ended event's questions, names and chat unless staff chose to keep them. */
  #purgeTexts(record: EventRecord): void {
    if (record.keepTexts) return;

    const deleted = this.#store.deleteEventTexts(record.id);

    this.#logger.info({ eventId: record.id, deleted }, 'event texts deleted');
  }

  #onLive(live: LiveEvent): void {
    if (this.#closing || this.#live !== live) return;

    const record = this.#require(live.eventId);

    if (record.state !== 'starting') return;
    // A restored run keeps the time it first went live, so stream times stay comparable.
    this.#setState(record, 'live', { liveSince: record.liveSince ?? new Date().toISOString() });
  }

  async #failRunning(live: LiveEvent, failure: EventFailure): Promise<void> {
    // During shutdown the event stays running in the store for the next start to restore.
    if (this.#closing || this.#live !== live) return;

    const record = this.#require(live.eventId);

    if (!isRunning(record.state)) return;
    this.#stopHeartbeat();
    this.#setState(record, 'failed', { failure });
    await live.stop();
    // A shutdown during the stop may have closed the store.
    if (!this.#closing) this.#publish();
  }

  #setState(
    record: EventRecord,
    to: EventState,
    fields: EventStateFields = {},
  ): void {
    transition(record.state, to);
    this.#store.updateEventState(record.id, to, fields);
    this.#logger.info({ eventId: record.id, from: record.state, to, failure: fields.failure }, 'event state changed');
    this.#publish();
  }

  #publish(): EventSnapshot {
    const snapshot = this.snapshot();

    this.emit('change', snapshot);

    return snapshot;
  }

  #require(id: string): EventRecord {
    const record = this.#store.getEvent(id);

    if (!record) throw podiumError('PODIUM_ERR_EVENT_NOT_FOUND', id);

    return record;
  }

  #runningRecord(): EventRecord | undefined {
    return this.#store.listEvents().find((event) => isRunning(event.state));
  }

  /** The running event, else the selected one, else the newest ready one. */
  #currentRecord(): EventRecord | undefined {
    const running = this.#runningRecord();

    if (running) return running;

    const selectedId = this.#store.getSetting(SELECTED_EVENT_KEY);
    const selected = selectedId ? this.#store.getEvent(selectedId) : undefined;

    return selected ?? this.#store.listEvents().find((event) => event.state === 'ready');
  }
}
