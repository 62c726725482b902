import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.js';
import { RestartingProcess } from './restarting-process.js';
import { Supervisor } from './supervisor.js';

const logger = createLogger('silent');

/** Waits for real I/O (a child's exit) while timers are fake. */
function nextExit(process: RestartingProcess): Promise<number> {
  return new Promise((resolve) => process.once('down', (_exit, { delayMs }) => resolve(delayMs)));
}

describe('RestartingProcess', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts a failing process after 1, 2, 4, 8, 10, 10 s', async () => {
    const supervisor = new Supervisor(logger);
    const process = new RestartingProcess({
      supervisor,
      spec: () => ({ name: 'fails', command: '/bin/sh', args: ['-c', 'exit 3'] }),
      logger,
    });
    const delays: number[] = [];
    let starts = 0;

    process.on('up', () => starts++);
    process.start();
    for (let attempt = 0; attempt < 6; attempt++) {
      const delayMs = await nextExit(process);

      delays.push(delayMs);
      await vi.advanceTimersByTimeAsync(delayMs - 1);
      expect(starts, `attempt ${attempt} before its delay`).toBe(attempt + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts, `attempt ${attempt} after its delay`).toBe(attempt + 2);
    }
    await process.stop();
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(supervisor.restartCounts().get('fails')).toBe(6);
  });

  it('restartNow backs off, and a healthy run resets the delay', async () => {
    const supervisor = new Supervisor(logger);
    const process = new RestartingProcess({
      supervisor,
      spec: () => ({ name: 'sleeper', command: '/bin/sleep', args: ['30'] }),
      logger,
    });
    const delays: number[] = [];

    process.start();
    process.restartNow('stalled');
    delays.push(await nextExit(process));
    await vi.advanceTimersByTimeAsync(1000);
    process.restartNow('stalled again');
    delays.push(await nextExit(process));
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(31_000);
    process.restartNow('stalled after a healthy run');
    delays.push(await nextExit(process));
    await process.stop();
    expect(delays).toEqual([1000, 2000, 1000]);
  });

  it('does not restart a process stopped on purpose', async () => {
    const supervisor = new Supervisor(logger);
    const process = new RestartingProcess({
      supervisor,
      spec: () => ({ name: 'sleeper', command: '/bin/sleep', args: ['30'] }),
      logger,
    });
    let starts = 0;

    process.on('up', () => starts++);
    process.start();
    await process.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(starts).toBe(1);
    expect(supervisor.running()).toEqual([]);
  });
});
