import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimedCaption } from '../../streams/hls/caption-track.js';
import { captionFilePath, SegmentRecorder, type RecorderEndReason } from '../../streams/recording/segment-recorder.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { Logger } from '../log.js';
import type { LiveEvent } from '../events/live-event.js';
import type { EventInfo, RecordingEndReason, RecordingInfo, RecordingStatus } from '../signaling/protocol.js';
import type { RecordingStore, StoredPart } from '../store/recording-store.js';
import { partFileName, recordingFileName } from './recording-name.js';
import { groupParts } from './recording-parts.js';

export type RecordingServiceOptions = {
  controller: EventController;
  store: RecordingStore;
  /** The directory of the recording files (<dataDir>/recordings). */
  directory: string;
  logger: Logger;
  /** Returns the free share of the recordings' file system (tests pass a fake). */
  freeShare?: (path: string) => Promise<number>;
  /** Returns an event's live captions since a wall-clock time (ms), written beside each recording file. */
  captionsSince?: (eventId: string, fromMs: number) => TimedCaption[];
};

type Running = { part: StoredPart; recorder: SegmentRecorder };

type MeetingRunning = Running & {
  /** The end reason stored when the recorder ends on request: "interrupted" when Podium stops. */
  endReason: 'requested' | 'interrupted';
};

/** A meeting's running recording, as its broadcast controls it. */
export type MeetingRecordingRun = {
  recordingId: string;
  /** Stops the recording; resolves when its file is complete and closed. */
  stop(): Promise<void>;
  /** Resolves with the reason when the recording ended, by stop() or on its own (disk full, write failed). */
  ended: Promise<RecordingEndReason>;
};

/**
 * Records the live event when staff ask for it, never by itself. The
 * recording follows the event's HLS output (see SegmentRecorder), ends with
 * the event, and stops on its own with an alarm when the disk fills, while
 * the live stream goes on. A recording that a stop of Podium cut off goes on
 * in a new part (file) once the restored event's program delivers again.
 */
export class RecordingService extends EventEmitter<{ change: [] }> {
  readonly #controller: EventController;
  readonly #store: RecordingStore;
  readonly #directory: string;
  readonly #logger: Logger;
  readonly #freeShare: ((path: string) => Promise<number>) | undefined;
  readonly #captionsSince: RecordingServiceOptions['captionsSince'];
  #running: Running | undefined;
  #starting = false;
  #diskLow = false;
  #alarm: RecordingStatus['alarm'] = null;
  /** The reason stop() was called with, stored when the recorder reports its end. */
  #endReason: 'requested' | 'event-ended' | 'interrupted' = 'requested';
  /** The part to continue once the restored event's program delivers. */
  #resume: StoredPart | undefined;
  /** Running recordings of meetings, by part id. */
  readonly #meetingRuns = new Map<string, MeetingRunning>();

  constructor(options: RecordingServiceOptions) {
    super();
    this.#controller = options.controller;
    this.#store = options.store;
    this.#directory = options.directory;
    this.#logger = options.logger.child({ module: 'recording' });
    this.#freeShare = options.freeShare;
    this.#captionsSince = options.captionsSince;
    mkdirSync(this.#directory, { recursive: true });

    const interrupted = this.#store.endInterrupted();

    if (interrupted.length > 0) this.#logger.warn({ recordingIds: interrupted }, 'interrupted recordings marked ended');
    this.#controller.on('change', (snapshot) => {
      const running = this.#running;

      if (this.#resume) this.#resumeWhenDelivering(snapshot.event, snapshot.outputs?.hls === 'live');
      if (!running) return;

      const event = snapshot.event;
      const ended = !event || event.id !== running.part.eventId || event.state === 'ended' || event.state === 'failed';

      if (ended) void this.stop('event-ended').catch(() => undefined);
    });
  }

  get status(): RecordingStatus {
    const running = this.#running;

    return {
      current: running ? this.#withProgress(running.part.recordingId) : null,
      diskLow: this.#diskLow,
      alarm: this.#alarm,
    };
  }

  /**
   * Continues the event's recording that a stop of Podium cut off, if the
   * event's run since `since` had one: a new part starts once the restored
   * event is live and its program delivers again.
   */
  resumeAfterRestore(eventId: string, since: string): void {
    const part = this.#store.interruptedPart(eventId, since);

    if (!part) return;
    this.#resume = part;
    this.#logger.info({ recordingId: part.recordingId, eventId, part: part.part }, 'recording resumes when the event delivers');
  }

  /** Starts recording the live event. */
  async start(): Promise<RecordingInfo> {
    const live = this.#controller.liveEvent;
    const event = this.#controller.snapshot().event;

    if (this.#running) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', this.#running.part.recordingId);
    if (this.#starting) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', 'being started');
    if (!live || !event || event.id !== live.eventId || event.state !== 'live') {
      throw podiumError('PODIUM_ERR_NOT_LIVE', event?.state ?? 'none');
    }

    // A recording that staff start replaces the one waiting to resume.
    this.#resume = undefined;

    return this.#startPart(live, event);
  }

  /** Stops the running recording and resolves when its file is complete and closed. */
  async stop(reason: 'requested' | 'event-ended' | 'interrupted' = 'requested'): Promise<RecordingInfo> {
    const running = this.#running;

    if (!running) throw podiumError('PODIUM_ERR_RECORDING_NOT_RUNNING');
    this.#endReason = reason;
    await running.recorder.stop();

    return this.#recording(running.part.recordingId)!;
  }

  /**
   * Lists the recordings whose files exist, newest first, each with its parts.
   * A part whose file is missing is left out but kept in the store, because
   * the disk may only be unmounted. The retention removes the rows of the
   * files it deletes (forgetFiles).
   */
  list(): RecordingInfo[] {
    const running = this.#running;
    const parts = this.#store.list().flatMap((part) => {
      if (running?.part.id === part.id) return [{ ...part, ...running.recorder.progress }];

      const meetingRun = this.#meetingRuns.get(part.id);

      if (meetingRun) return [{ ...part, ...meetingRun.recorder.progress }];

      const path = join(this.#directory, part.fileName);

      return existsSync(path) ? [{ ...part, hasCaptions: existsSync(captionFilePath(path)) }] : [];
    });

    return groupParts(parts);
  }

  /** Removes the rows of recording files that were deleted on purpose (by the retention). */
  forgetFiles(fileNames: string[]): void {
    for (const part of this.#store.list()) {
      if (!fileNames.includes(part.fileName)) continue;
      this.#store.delete(part.id);
      this.#logger.info({ recordingId: part.recordingId, partId: part.id, fileName: part.fileName }, 'deleted recording removed from the list');
    }
  }

  /** Returns a part (any part's id, the recording's id for its first part) and its file's path, or throws PODIUM_ERR_RECORDING_NOT_FOUND. */
  file(id: string): { info: StoredPart; path: string } {
    const info = this.#store.get(id);
    const path = info ? join(this.#directory, info.fileName) : undefined;

    if (!info || !path || !existsSync(path)) throw podiumError('PODIUM_ERR_RECORDING_NOT_FOUND', id);

    return { info, path };
  }

  /** Returns a part's caption file (WebVTT), or throws PODIUM_ERR_RECORDING_NOT_FOUND when it has none. */
  captionsFile(id: string): { info: StoredPart; path: string } {
    const info = this.#store.get(id);
    const path = info ? captionFilePath(join(this.#directory, info.fileName)) : undefined;

    if (!info || !path || !existsSync(path)) throw podiumError('PODIUM_ERR_RECORDING_NOT_FOUND', id);

    return { info, path };
  }

  /** Deletes a finished recording with the files of all its parts and their captions. */
  async delete(id: string): Promise<void> {
    const parts = this.#store.parts(id);

    if (parts.length === 0) throw podiumError('PODIUM_ERR_RECORDING_NOT_FOUND', id);
    if (this.#running?.part.recordingId === id) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', id);
    if ([...this.#meetingRuns.values()].some((run) => run.part.recordingId === id)) {
      throw podiumError('PODIUM_ERR_RECORDING_RUNNING', id);
    }
    for (const part of parts) {
      for (const path of [join(this.#directory, part.fileName), captionFilePath(join(this.#directory, part.fileName))]) {
        await unlink(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
      this.#store.delete(part.id);
    }
    this.#logger.info({ recordingId: id, parts: parts.length }, 'recording deleted');
  }

  /**
   * Stops a running recording, for shutdown. Its part ends as "interrupted",
   * so that the recording goes on in a new part when the next start of
   * Podium restores the event. Meeting recordings end as "interrupted" too,
   * but no restart continues them.
   */
  async close(): Promise<void> {
    this.#resume = undefined;
    await Promise.all(
      [...this.#meetingRuns.values()].map((run) => {
        run.endReason = 'interrupted';

        return run.recorder.stop();
      }),
    );
    if (this.#running) await this.stop('interrupted');
  }

  /**
   * Starts recording a meeting's broadcast: the segments of its top
   * rendition's playlist go into one file named by date and meeting name,
   * listed, downloaded and deleted with the event recordings. The disk checks
   * are the event recording's: it stops on its own at 2% free.
   */
  async recordMeeting(meeting: { id: string; name: string }, playlistPath: string): Promise<MeetingRecordingRun> {
    const fileName = recordingFileName(meeting.name, new Date(), (name) => this.#taken(name));
    const recorder = await SegmentRecorder.start({
      playlistPath,
      filePath: join(this.#directory, fileName),
      logger: this.#logger.child({ meetingId: meeting.id }),
      freeShare: this.#freeShare,
    });
    const part = this.#store.create({ meetingId: meeting.id }, fileName);
    const run: MeetingRunning = { part, recorder, endReason: 'requested' };
    const logContext = { recordingId: part.recordingId, meetingId: meeting.id, fileName };

    this.#meetingRuns.set(part.id, run);
    recorder.on('progress', (progress) => {
      this.#store.updateProgress(part.id, progress.bytes, progress.durationSeconds);
      this.emit('change');
    });

    const ended = new Promise<RecordingEndReason>((resolve) => {
      recorder.once('ended', (reason, detail) => {
        const stored: RecordingEndReason = reason === 'requested' ? run.endReason : reason;

        this.#store.end(part.id, stored);
        this.#meetingRuns.delete(part.id);
        if (reason === 'requested') this.#logger.info({ ...logContext, reason: stored }, 'meeting recording ended');
        else this.#logger.error({ ...logContext, reason, detail }, 'meeting recording stopped on its own');
        this.emit('change');
        resolve(stored);
      });
    });

    this.#logger.info(logContext, 'meeting recording started');
    this.emit('change');

    return { recordingId: part.recordingId, stop: () => recorder.stop(), ended };
  }

  async #startPart(live: LiveEvent, event: EventInfo, continues?: StoredPart): Promise<RecordingInfo> {
    this.#starting = true;
    try {
      const fileName = continues
        ? partFileName(this.#store.parts(continues.recordingId)[0]?.fileName ?? continues.fileName, continues.part + 1, (name) => this.#taken(name))
        : recordingFileName(event.title, new Date(), (name) => this.#taken(name));
      const recorder = await SegmentRecorder.start({
        playlistPath: live.hlsPlaylistPath,
        filePath: join(this.#directory, fileName),
        logger: this.#logger,
        freeShare: this.#freeShare,
        captionsSince: (fromMs) => this.#captionsSince?.(event.id, fromMs) ?? [],
      });
      const part = this.#store.create(event.id, fileName, continues);

      this.#running = { part, recorder };
      this.#alarm = null;
      this.#diskLow = false;
      recorder.on('progress', (progress) => {
        this.#store.updateProgress(part.id, progress.bytes, progress.durationSeconds);
        this.emit('change');
      });
      recorder.on('diskLow', () => {
        this.#diskLow = true;
        this.emit('change');
      });
      recorder.once('ended', (reason) => this.#onEnded(part, reason));
      this.#logger.info(
        { recordingId: part.recordingId, partId: part.id, part: part.part, eventId: event.id, fileName },
        continues ? 'recording resumed in a new part' : 'recording started',
      );
      this.emit('change');

      return this.#withProgress(part.recordingId)!;
    } finally {
      this.#starting = false;
    }
  }

  /** Starts the part to resume once its event is live and its program delivers; drops it when the event ends or fails. */
  #resumeWhenDelivering(event: EventInfo | null, delivering: boolean): void {
    const resume = this.#resume;
    const live = this.#controller.liveEvent;

    if (!resume || this.#starting) return;
    if (this.#running || !event || event.id !== resume.eventId || event.state === 'ended' || event.state === 'failed') {
      this.#resume = undefined;
      this.#logger.warn({ recordingId: resume.recordingId, eventState: event?.state ?? null }, 'recording not resumed');

      return;
    }
    if (event.state !== 'live' || !delivering || !live || live.eventId !== event.id) return;
    this.#resume = undefined;
    void this.#startPart(live, event, resume).catch((error: unknown) => {
      this.#logger.error({ err: error, recordingId: resume.recordingId }, 'recording failed to resume');
    });
  }

  /** The recording with this id, with the running part's progress. */
  #withProgress(recordingId: string): RecordingInfo | null {
    const running = this.#running;
    const parts = this.#store
      .parts(recordingId)
      .map((part) => (running?.part.id === part.id ? { ...part, ...running.recorder.progress } : part));

    return groupParts(parts)[0] ?? null;
  }

  #recording(recordingId: string): RecordingInfo | undefined {
    return groupParts(this.#store.parts(recordingId))[0];
  }

  #onEnded(part: StoredPart, reason: RecorderEndReason): void {
    const stored: RecordingEndReason = reason === 'requested' ? this.#endReason : reason;

    this.#store.end(part.id, stored);
    if (this.#running?.part.id === part.id) this.#running = undefined;
    if (reason !== 'requested') this.#alarm = reason;
    this.#endReason = 'requested';
    this.#logger.info({ recordingId: part.recordingId, partId: part.id, reason: stored }, 'recording ended');
    this.emit('change');
  }

  #taken(name: string): boolean {
    return this.#store.hasFileName(name) || existsSync(join(this.#directory, name));
  }
}
