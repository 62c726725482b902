import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { Watchdog, watchdogIntervalMs } from './watchdog.js';
import { waitFor } from '../../test/helpers/wait-for.js';

const logger = createLogger('silent');

describe('Watchdog', () => {
  let watchdog: Watchdog | undefined;

  afterEach(() => watchdog?.stop());

  it('feeds while the probe passes', async () => {
    let feeds = 0;

    watchdog = new Watchdog({ intervalMs: 20, maxLoopDelayMs: 1000, probe: async () => undefined, feed: () => feeds++, logger });
    watchdog.start();

    await waitFor('three feeds', () => feeds >= 3, { timeoutMs: 5000, intervalMs: 10 });
  });

  it('starves while the probe fails', async () => {
    let feeds = 0;
    let probes = 0;

    watchdog = new Watchdog({
      intervalMs: 20,
      maxLoopDelayMs: 1000,
      probe: async () => {
        probes++;

        return 'the media worker did not answer';
      },
      feed: () => feeds++,
      logger,
    });
    watchdog.start();

    await waitFor('five probes', () => probes >= 5, { timeoutMs: 5000, intervalMs: 10 });
    expect(feeds).toBe(0);
  });

  it('skips the tick after a blocked loop', async () => {
    const feeds: number[] = [];

    watchdog = new Watchdog({ intervalMs: 50, maxLoopDelayMs: 200, probe: async () => undefined, feed: () => feeds.push(Date.now()), logger });
    watchdog.start();
    await waitFor('a first feed', () => feeds.length >= 1, { timeoutMs: 5000, intervalMs: 10 });

    const blockEnd = Date.now() + 600;

    while (Date.now() < blockEnd) {
      // Blocks the event loop on purpose.
    }
    const fedBefore = feeds.length;

    await waitFor('a feed after the block', () => feeds.length > fedBefore, { timeoutMs: 5000, intervalMs: 10 });
    // The first tick after the block sees the delay and does not feed, so the
    // next feed comes at least one interval later.
    expect(feeds[fedBefore]! - blockEnd).toBeGreaterThanOrEqual(40);
  });
});

describe('watchdogIntervalMs', () => {
  it('takes a third of WATCHDOG_USEC', () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' })).toBe(10_000);
  });

  it('is off without WATCHDOG_USEC', () => {
    expect(watchdogIntervalMs({})).toBeUndefined();
  });

  it('ignores a watchdog of another PID', () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, 4242)).toBeUndefined();
  });

  it('accepts its own PID', () => {
    expect(watchdogIntervalMs({ WATCHDOG_USEC: '3000000', WATCHDOG_PID: '4242' }, 4242)).toBe(1000);
  });
});
