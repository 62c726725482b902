import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import { roomMediaCodecs } from './media-codecs.js';
import { PipedRouter } from './piped-router.js';
import type { SfuWorker } from './sfu-worker.js';
import type { SourceLabel } from './source-labels.js';
import { chooseViewerWorker } from './viewer-placement.js';

/** A room's router on another worker while it is created and used. */
type PipedEntry = {
  router: Promise<PipedRouter>;
  /** The router once created, so that close() can close it at once. */
  created?: PipedRouter;
  viewers: number;
};

/** The workers a room may place viewers on. */
export type WorkerPool = {
  workers: readonly SfuWorker[];
  /** The worker of the room's own router. */
  origin: SfuWorker;
  /** Viewers per worker before further viewers go to another worker (sfu.viewersPerWorker). */
  viewersPerWorker: number;
};

/** The router and WebRtcServer of one viewer's receive transport, and its way to consume the room's producers there. */
export type ViewerRoute = {
  workerIndex: number;
  router: types.Router;
  webRtcServer: types.WebRtcServer;
  /** Creates a paused consumer of the source's producer, or returns undefined when the room has none. */
  consume(
    transport: types.WebRtcTransport,
    source: SourceLabel,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer | undefined>;
  /** Gives the viewer's place back once its transports are closed; later calls do nothing. */
  release(): void;
};

/**
 * Places a room's WebRTC viewers on workers. Viewers up to the per-worker
 * limit use the room's own router. Further viewers use a PipedRouter of the
 * room on another worker, created with its first viewer and closed with its
 * last one.
 */
export class ViewerRoutes {
  readonly #origin: types.Router;
  readonly #producers: ReadonlyMap<SourceLabel, types.Producer>;
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #piped = new Map<number, PipedEntry>();
  #closed = false;

  constructor(
    origin: types.Router,
    producers: ReadonlyMap<SourceLabel, types.Producer>,
    pool: WorkerPool,
    logger: Logger,
  ) {
    this.#origin = origin;
    this.#producers = producers;
    this.#pool = pool;
    this.#logger = logger;
  }

  /** Returns the room's routers on other workers that exist now, by worker index. */
  async pipedRouters(): Promise<Map<number, PipedRouter>> {
    const entries = await Promise.all(
      [...this.#piped].map(async ([index, entry]) => [index, await entry.router] as const),
    );

    return new Map(entries);
  }

  /** Chooses the worker of a new viewer, counts the viewer there and returns its route. */
  async routeFor(viewerId: string): Promise<ViewerRoute> {
    const { origin, viewersPerWorker } = this.#pool;
    // A dead worker keeps its slot until its replacement runs; nobody is placed there meanwhile.
    const workers = this.#pool.workers.filter((candidate) => candidate.alive);
    const choice = chooseViewerWorker(workers, origin.index, viewersPerWorker);
    const worker = workers.find((candidate) => candidate.index === choice.index)!;

    if (choice.overloaded) {
      this.#logger.warn({ viewerId, workerIndex: worker.index, viewers: worker.viewers, viewersPerWorker },
        'every worker has reached sfu.viewersPerWorker; the viewer goes to the least loaded one');
    }
    worker.viewers++;
    if (worker === origin) return this.#originRoute(worker);

    try {
      return await this.#pipedRoute(worker, viewerId);
    } catch (error) {
      worker.viewers--;
      throw error;
    }
  }

  /**
   * Closes the room's routers on other workers; their viewers' transports
   * must be closed first. A router still being created closes once it exists.
   */
  close(): void {
    this.#closed = true;
    for (const entry of this.#piped.values()) closePiped(entry);
    this.#piped.clear();
  }

  #originRoute(worker: SfuWorker): ViewerRoute {
    let released = false;

    return {
      workerIndex: worker.index,
      router: this.#origin,
      webRtcServer: worker.webRtcServer,
      consume: async (transport, source, rtpCapabilities) => {
        const producer = this.#producers.get(source);

        if (!producer) return undefined;

        return transport.consume({ producerId: producer.id, rtpCapabilities, paused: true });
      },
      release: () => {
        if (released) return;
        released = true;
        worker.viewers--;
      },
    };
  }

  async #pipedRoute(worker: SfuWorker, viewerId: string): Promise<ViewerRoute> {
    const entry = this.#pipedEntry(worker);

    entry.viewers++;

    let piped: PipedRouter;

    try {
      piped = await entry.router;
    } catch (error) {
      this.#releasePiped(worker, entry);
      throw error;
    }
    this.#logger.info({ viewerId, workerIndex: worker.index }, 'viewer placed on a piped router');

    let released = false;

    return {
      workerIndex: worker.index,
      router: piped.router,
      webRtcServer: worker.webRtcServer,
      consume: async (transport, source, rtpCapabilities) => {
        const producer = this.#producers.get(source);

        if (!producer) return undefined;

        return piped.consume(transport, producer, rtpCapabilities);
      },
      release: () => {
        if (released) return;
        released = true;
        worker.viewers--;
        this.#releasePiped(worker, entry);
      },
    };
  }

  #pipedEntry(worker: SfuWorker): PipedEntry {
    const existing = this.#piped.get(worker.index);

    if (existing) return existing;
    if (this.#closed) throw new Error('the room is closed');

    const router = worker.worker
      .createRouter({ mediaCodecs: structuredClone(roomMediaCodecs) })
      .then((created) => {
        entry.created = new PipedRouter(worker, created, this.#origin, this.#logger);
        // A router that closes with its dead worker is forgotten, so that the next viewer there gets a new one.
        created.observer.once('close', () => {
          if (this.#piped.get(worker.index) === entry) this.#piped.delete(worker.index);
        });

        return entry.created;
      });
    const entry: PipedEntry = { router, viewers: 0 };

    this.#piped.set(worker.index, entry);

    return entry;
  }

  /** Closes a piped router when its last viewer is gone. */
  #releasePiped(worker: SfuWorker, entry: PipedEntry): void {
    entry.viewers--;
    if (entry.viewers > 0 || this.#piped.get(worker.index) !== entry) return;

    this.#piped.delete(worker.index);
    closePiped(entry);
  }
}

function closePiped(entry: PipedEntry): void {
  if (entry.created) entry.created.close();
  else void entry.router.then((piped) => piped.close(), () => undefined);
}
