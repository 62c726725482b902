import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import type { SfuWorker } from './sfu-worker.js';

type Pipe = {
  /** Resolves to the pipe producer on this router (it has the origin producer's id). */
  producer: Promise<types.Producer>;
  /** Consumers on this router that use the pipe, counted from before they are created. */
  users: number;
};

/**
 * A room's router on a worker other than the room's own, for the viewers
 * that do not fit on the room's worker. Each origin producer is piped here
 * with pipeToRouter when the first viewer consumes it, and the pipe closes
 * when its last consumer here closes. Closing the origin producer closes its
 * pipe and every consumer of it here (mediasoup links them).
 */
export class PipedRouter {
  readonly worker: SfuWorker;
  readonly router: types.Router;
  readonly #origin: types.Router;
  readonly #pipes = new Map<string, Pipe>();
  readonly #logger: Logger;

  constructor(worker: SfuWorker, router: types.Router, origin: types.Router, logger: Logger) {
    this.worker = worker;
    this.router = router;
    this.#origin = origin;
    this.#logger = logger.child({ workerIndex: worker.index, routerId: router.id });
    this.#logger.info('piped router created');
  }

  get closed(): boolean {
    return this.router.closed;
  }

  /** Origin producer ids piped here now, for tests and logs. */
  pipedProducerIds(): string[] {
    return [...this.#pipes.keys()];
  }

  /** RTP packets that arrived here through every open pipe so far. */
  async receivedPackets(): Promise<number> {
    const producers = await Promise.all([...this.#pipes.values()].map((pipe) => pipe.producer.catch(() => undefined)));
    const stats = await Promise.all(producers.map((producer) => producer?.getStats().catch(() => []) ?? []));

    return stats.flat().reduce((sum, entry) => sum + entry.packetCount, 0);
  }

  /**
   * Creates a paused consumer of an origin producer on a transport of this
   * router, piping the producer here first when no viewer here uses it yet.
   */
  async consume(
    transport: types.WebRtcTransport,
    origin: types.Producer,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<types.Consumer> {
    const pipe = this.#pipeOf(origin);

    pipe.users++;
    try {
      await pipe.producer;

      const consumer = await transport.consume({ producerId: origin.id, rtpCapabilities, paused: true });

      consumer.observer.once('close', () => this.#release(origin.id, pipe));

      return consumer;
    } catch (error) {
      this.#release(origin.id, pipe);
      throw error;
    }
  }

  /** Closes the router, its pipe transports and (through them) the pipe consumers on the origin router. */
  close(): void {
    if (this.router.closed) return;
    this.router.close();
    this.#pipes.clear();
    this.#logger.info('piped router closed');
  }

  #pipeOf(origin: types.Producer): Pipe {
    const existing = this.#pipes.get(origin.id);

    if (existing) return existing;

    const producer = this.#origin.pipeToRouter({ producerId: origin.id, router: this.router }).then(({ pipeProducer }) => {
      pipeProducer!.observer.once('close', () => {
        if (this.#pipes.get(origin.id) === pipe) this.#pipes.delete(origin.id);
      });
      this.#logger.info({ producerId: origin.id, kind: origin.kind }, 'producer piped');

      return pipeProducer!;
    });
    const pipe: Pipe = { producer, users: 0 };

    // A failed pipe is forgotten, so that the next viewer tries again.
    producer.catch((error: unknown) => {
      if (this.#pipes.get(origin.id) === pipe) this.#pipes.delete(origin.id);
      this.#logger.warn({ producerId: origin.id, err: error }, 'pipeToRouter failed');
    });
    this.#pipes.set(origin.id, pipe);

    return pipe;
  }

  /** Closes the pipe when its last user here is gone. */
  #release(producerId: string, pipe: Pipe): void {
    pipe.users--;
    if (pipe.users > 0 || this.#pipes.get(producerId) !== pipe) return;

    this.#pipes.delete(producerId);
    void pipe.producer
      .then((producer) => {
        producer.close();
        this.#logger.info({ producerId }, 'unused pipe closed');
      })
      .catch(() => undefined);
  }
}
