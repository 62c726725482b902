import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SegmentRecorder, type RecorderEndReason } from '../../streams/recording/segment-recorder.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { Logger } from '../log.js';
import type { RecordingEndReason, RecordingInfo, RecordingStatus } from '../signaling/protocol.js';
import type { RecordingStore } from '../store/recording-store.js';
import { recordingFileName } from './recording-name.js';

export type RecordingServiceOptions = {
  controller: EventController;
  store: RecordingStore;
  /** The directory of the recording files (<dataDir>/recordings). */
  directory: string;
  logger: Logger;
  /** Returns the free share of the recordings' file system (tests pass a fake). */
  freeShare?: (path: string) => Promise<number>;
};

type Running = { info: RecordingInfo; recorder: SegmentRecorder };

/**
 * Records the live event when staff ask for it, never by itself. The
 * recording follows the event's HLS output (see SegmentRecorder), ends with
 * the event, and stops on its own with an alarm when the disk fills, while
 * the live stream goes on.
 */
export class RecordingService extends EventEmitter<{ change: [] }> {
  readonly #controller: EventController;
  readonly #store: RecordingStore;
  readonly #directory: string;
  readonly #logger: Logger;
  readonly #freeShare: ((path: string) => Promise<number>) | undefined;
  #running: Running | undefined;
  #starting = false;
  #diskLow = false;
  #alarm: RecordingStatus['alarm'] = null;
  /** The reason stop() was called with, stored when the recorder reports its end. */
  #endReason: 'requested' | 'event-ended' = 'requested';

  constructor(options: RecordingServiceOptions) {
    super();
    this.#controller = options.controller;
    this.#store = options.store;
    this.#directory = options.directory;
    this.#logger = options.logger.child({ module: 'recording' });
    this.#freeShare = options.freeShare;
    mkdirSync(this.#directory, { recursive: true });

    const interrupted = this.#store.endInterrupted();

    if (interrupted.length > 0) this.#logger.warn({ recordingIds: interrupted }, 'interrupted recordings marked ended');
    this.#controller.on('change', (snapshot) => {
      const running = this.#running;

      if (!running) return;

      const event = snapshot.event;
      const ended = !event || event.id !== running.info.eventId || event.state === 'ended' || event.state === 'failed';

      if (ended) void this.stop('event-ended').catch(() => undefined);
    });
  }

  get status(): RecordingStatus {
    const running = this.#running;

    return {
      current: running ? { ...running.info, ...running.recorder.progress } : null,
      diskLow: this.#diskLow,
      alarm: this.#alarm,
    };
  }

  /** Starts recording the live event. */
  async start(): Promise<RecordingInfo> {
    const live = this.#controller.liveEvent;
    const event = this.#controller.snapshot().event;

    if (this.#running) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', this.#running.info.id);
    if (this.#starting) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', 'being started');
    if (!live || !event || event.id !== live.eventId || event.state !== 'live') {
      throw podiumError('PODIUM_ERR_NOT_LIVE', event?.state ?? 'none');
    }

    this.#starting = true;
    try {
      const fileName = this.#uniqueFileName(event.title);
      const recorder = await SegmentRecorder.start({
        playlistPath: live.hlsPlaylistPath,
        filePath: join(this.#directory, fileName),
        logger: this.#logger,
        freeShare: this.#freeShare,
      });
      const info = this.#store.create(event.id, fileName);

      this.#running = { info, recorder };
      this.#alarm = null;
      this.#diskLow = false;
      recorder.on('progress', (progress) => {
        this.#store.updateProgress(info.id, progress.bytes, progress.durationSeconds);
        this.emit('change');
      });
      recorder.on('diskLow', () => {
        this.#diskLow = true;
        this.emit('change');
      });
      recorder.once('ended', (reason) => this.#onEnded(info, reason));
      this.#logger.info({ recordingId: info.id, eventId: event.id, fileName }, 'recording started');
      this.emit('change');

      return info;
    } finally {
      this.#starting = false;
    }
  }

  /** Stops the running recording and resolves when its file is complete and closed. */
  async stop(reason: 'requested' | 'event-ended' = 'requested'): Promise<RecordingInfo> {
    const running = this.#running;

    if (!running) throw podiumError('PODIUM_ERR_RECORDING_NOT_RUNNING');
    this.#endReason = reason;
    await running.recorder.stop();

    return this.#store.get(running.info.id)!;
  }

  /** Lists the recordings whose files exist, newest first; rows of files the retention deleted are dropped. */
  list(): RecordingInfo[] {
    const running = this.#running;

    return this.#store.list().flatMap((info) => {
      if (running?.info.id === info.id) return [{ ...info, ...running.recorder.progress }];
      if (existsSync(join(this.#directory, info.fileName))) return [info];
      this.#store.delete(info.id);
      this.#logger.info({ recordingId: info.id, fileName: info.fileName }, 'recording without file removed from the list');

      return [];
    });
  }

  /** Returns a recording and the path of its file, or throws PODIUM_ERR_RECORDING_NOT_FOUND. */
  file(id: string): { info: RecordingInfo; path: string } {
    const info = this.#store.get(id);
    const path = info ? join(this.#directory, info.fileName) : undefined;

    if (!info || !path || !existsSync(path)) throw podiumError('PODIUM_ERR_RECORDING_NOT_FOUND', id);

    return { info, path };
  }

  /** Deletes a finished recording and its file. */
  async delete(id: string): Promise<void> {
    const { path } = this.file(id);

    if (this.#running?.info.id === id) throw podiumError('PODIUM_ERR_RECORDING_RUNNING', id);
    await unlink(path);
    this.#store.delete(id);
    this.#logger.info({ recordingId: id }, 'recording deleted');
  }

  /** Stops a running recording, for shutdown. */
  async close(): Promise<void> {
    if (this.#running) await this.stop('event-ended');
  }

  #onEnded(info: RecordingInfo, reason: RecorderEndReason): void {
    const stored: RecordingEndReason = reason === 'requested' ? this.#endReason : reason;

    this.#store.end(info.id, stored);
    if (this.#running?.info.id === info.id) this.#running = undefined;
    if (reason !== 'requested') this.#alarm = reason;
    this.#endReason = 'requested';
    this.#logger.info({ recordingId: info.id, reason: stored }, 'recording ended');
    this.emit('change');
  }

  #uniqueFileName(title: string): string {
    const taken = (name: string) => this.#store.hasFileName(name) || existsSync(join(this.#directory, name));

    return recordingFileName(title, new Date(), taken);
  }
}
