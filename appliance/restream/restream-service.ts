import { EventEmitter } from 'node:events';
import { RestreamOutput, targetAddress } from '../../streams/restream/restream-output.js';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { LiveEvent } from '../events/live-event.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import type { RestreamStatus, RestreamTargetInfo } from '../signaling/protocol.js';
import type { RestreamStore, RestreamTargetRecord } from '../store/restream-store.js';
import { checkRestreamTarget, type NewRestreamTarget } from './restream-target.js';

export type RestreamServiceOptions = {
  controller: EventController;
  store: RestreamStore;
  supervisor: Supervisor;
  logger: Logger;
};

function toInfo(record: RestreamTargetRecord): RestreamTargetInfo {
  return {
    id: record.id,
    eventId: record.eventId,
    name: record.name,
    url: record.url,
    keyHint: keyHint(record.streamKey),
  };
}

/**
 * Returns the part of a stream key the console shows: its last four
 * characters for a key of 12 or more, where they reveal little, else only an
 * ellipsis.
 */
export function keyHint(streamKey: string): string {
  if (streamKey === '') return '';

  return streamKey.length >= 12 ? `…${streamKey.slice(-4)}` : '…';
}

/**
 * The restream targets of each event (PeerTube, YouTube, Owncast or any RTMP
 * server). While an event is live, each of its targets has its own
 * RestreamOutput. A target added during the event starts at once, and a
 * removed one stops. Stream keys stay in the store: pages get only the last
 * four characters, and logs never contain them.
 */
export class RestreamService extends EventEmitter<{ change: [] }> {
  readonly #controller: EventController;
  readonly #store: RestreamStore;
  readonly #supervisor: Supervisor;
  readonly #logger: Logger;
  /** Each target's output while the event is live, settled or still starting. */
  readonly #outputs = new Map<string, Promise<RestreamOutput | undefined>>();
  /** The outputs that have started, for their state. */
  readonly #settled = new Map<string, RestreamOutput>();
  #live: LiveEvent | undefined;

  constructor(options: RestreamServiceOptions) {
    super();
    this.#controller = options.controller;
    this.#store = options.store;
    this.#supervisor = options.supervisor;
    this.#logger = options.logger.child({ module: 'restream' });
    this.#controller.on('change', (snapshot) => {
      const live = snapshot.event?.state === 'live' ? this.#controller.liveEvent : undefined;

      if (live !== this.#live) void this.#follow(live);
    });
  }

  get status(): RestreamStatus[] {
    const eventId = this.#live?.eventId;

    if (!eventId) return [];

    return this.#store.listForEvent(eventId).map((target) => {
      const output = this.#settled.get(target.id);

      return {
        targetId: target.id,
        name: target.name,
        state: output?.state ?? 'connecting',
        reason: output?.reason ?? null,
      };
    });
  }

  list(eventId: string): RestreamTargetInfo[] {
    return this.#store.listForEvent(eventId).map(toInfo);
  }

  /** Adds a target to an event; during the live event it starts at once. */
  add(eventId: string, target: NewRestreamTarget): RestreamTargetInfo {
    const checked = checkRestreamTarget(target);
    const record = this.#store.add(eventId, checked);

    this.#logger.info({ eventId, targetId: record.id, name: record.name, url: record.url }, 'restream target added');
    if (this.#live?.eventId === eventId) this.#startOutput(this.#live, record);
    this.emit('change');

    return toInfo(record);
  }

  /** Removes a target and stops its restream. */
  async remove(targetId: string): Promise<void> {
    const record = this.#store.get(targetId);

    if (!record) throw podiumError('PODIUM_ERR_RESTREAM_NOT_FOUND', targetId);
    this.#store.delete(targetId);
    this.#logger.info({ eventId: record.eventId, targetId }, 'restream target removed');
    await this.#stopOutput(targetId);
    this.emit('change');
  }

  async close(): Promise<void> {
    await this.#follow(undefined);
  }

  async #follow(live: LiveEvent | undefined): Promise<void> {
    this.#live = live;
    await Promise.all([...this.#outputs.keys()].map((targetId) => this.#stopOutput(targetId)));
    if (live && this.#live === live) {
      for (const target of this.#store.listForEvent(live.eventId)) this.#startOutput(live, target);
    }
    this.emit('change');
  }

  #startOutput(live: LiveEvent, target: RestreamTargetRecord): void {
    const output = RestreamOutput.start({
      targetId: target.id,
      address: targetAddress(target.url, target.streamKey),
      streamKey: target.streamKey,
      playlistPath: live.hlsPlaylistPath,
      supervisor: this.#supervisor,
      logger: this.#logger.child({ eventId: live.eventId }),
    }).then(
      (started) => {
        this.#settled.set(target.id, started);
        started.on('state', () => this.emit('change'));
        this.emit('change');

        return started;
      },
      (error: unknown) => {
        this.#logger.error({ err: error, targetId: target.id }, 'restream failed to start');

        return undefined;
      },
    );

    this.#outputs.set(target.id, output);
  }

  async #stopOutput(targetId: string): Promise<void> {
    const output = this.#outputs.get(targetId);

    this.#outputs.delete(targetId);
    this.#settled.delete(targetId);
    await (await output)?.stop();
  }
}
