import * as mediasoup from 'mediasoup';

/** Live mediasoup objects, by kind. */
export type CensusCounts = { workers: number; routers: number; transports: number; producers: number; consumers: number };

/**
 * Counts the mediasoup objects this process creates and closes, from
 * mediasoup's observer API: a consumer or transport that outlives its viewer
 * shows as a higher count after the viewers have left. Start it before
 * Podium creates its workers.
 */
export class MediasoupCensus {
  readonly #counts: CensusCounts = { workers: 0, routers: 0, transports: 0, producers: 0, consumers: 0 };
  readonly #onWorker = (worker: mediasoup.types.Worker) => {
    this.#track('workers', worker.observer);
    worker.observer.on('newrouter', (router) => {
      this.#track('routers', router.observer);
      router.observer.on('newtransport', (transport) => {
        this.#track('transports', transport.observer);
        transport.observer.on('newproducer', (producer) => this.#track('producers', producer.observer));
        transport.observer.on('newconsumer', (consumer) => this.#track('consumers', consumer.observer));
      });
    });
  };

  constructor() {
    mediasoup.observer.on('newworker', this.#onWorker);
  }

  /** Stops counting new workers. */
  stop(): void {
    mediasoup.observer.off('newworker', this.#onWorker);
  }

  /** Returns the objects alive now. */
  counts(): CensusCounts {
    return { ...this.#counts };
  }

  #track(kind: keyof CensusCounts, observer: { once(event: 'close', listener: () => void): unknown }): void {
    this.#counts[kind] += 1;
    observer.once('close', () => (this.#counts[kind] -= 1));
  }
}
