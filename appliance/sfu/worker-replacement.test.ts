import type { types } from 'mediasoup';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { avoidPortRange, findFreeTcpPort } from '../../streams/local-ports.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { H264_PROFILE_LEVEL_ID } from './media-codecs.js';
import type { Room } from './room.js';
import { Sfu, type WorkerSlot } from './sfu.js';
import { respawnDelayMs, RespawnCounter, type RespawnPolicy } from './worker-respawn.js';

const logger = createLogger('silent');

const cameraRtp: types.RtpParameters = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': H264_PROFILE_LEVEL_ID },
    },
  ],
  encodings: [{ ssrc: 22222222 }],
};

async function startSfu(options: { workers: number; viewersPerWorker?: number; port?: number }, policy?: RespawnPolicy): Promise<Sfu> {
  const config = parseConfig(
    {
      sfu: {
        listenIp: '127.0.0.1',
        announcedAddress: '127.0.0.1',
        port: options.port ?? 0,
        workers: options.workers,
        viewersPerWorker: options.viewersPerWorker ?? 1,
      },
    },
    'the test',
  );

  return Sfu.create(config.sfu, logger, policy);
}

function nextEvent<T extends unknown[]>(sfu: Sfu, name: 'workerdied' | 'workerreplaced' | 'failed'): Promise<T> {
  return new Promise((resolve) => sfu.once(name, (...args: unknown[]) => resolve(args as T)));
}

describe('respawn policy', () => {
  const policy: RespawnPolicy = { firstDelayMs: 1000, maxDelayMs: 10_000, healthyAfterMs: 30_000, maxAttempts: 6 };

  it('replaces at once, then doubles', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => respawnDelayMs(policy, attempt))).toEqual([
      0, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('gives up after maxAttempts young deaths', () => {
    const counter = new RespawnCounter(policy);
    const delays: (number | undefined)[] = [];

    for (let death = 0; death < 7; death++) {
      counter.died(1000);
      delays.push(counter.next());
    }
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 10_000, undefined]);
  });

  it('starts again after a healthy run', () => {
    const counter = new RespawnCounter(policy);

    counter.next();
    counter.next();
    counter.died(30_000);
    expect(counter.next()).toBe(0);
  });
});

describe('replacing a dead worker', () => {
  let sfu: Sfu | undefined;

  afterEach(() => sfu?.close());

  it('replaces worker 0 on its port', async () => {
    const { rtcMinPort, rtcMaxPort } = parseConfig({}, 'the defaults').sfu;

    // The port must lie outside the RTC range, which the configuration rejects.
    avoidPortRange(rtcMinPort, rtcMaxPort);

    const port = await findFreeTcpPort();

    sfu = await startSfu({ workers: 1, port });

    const deadPid = sfu.workerPid;
    const room = await sfu.createRoom('event-1');
    const died = nextEvent<[Error, WorkerSlot]>(sfu, 'workerdied');
    const replaced = nextEvent<[WorkerSlot]>(sfu, 'workerreplaced');

    process.kill(deadPid, 'SIGKILL');

    const [error, slot] = await died;

    expect(error.message).toContain('signal:SIGKILL');
    expect(slot).toEqual({ index: 0, pid: deadPid });
    expect(room.closed).toBe(true);

    const [replacement] = await replaced;

    expect(replacement.index).toBe(0);
    expect(replacement.pid).not.toBe(deadPid);
    expect(sfu.workerPid).toBe(replacement.pid);
    expect(sfu.closed).toBe(false);
    expect(sfu.recovering).toBe(false);

    const rebuilt = await sfu.createRoom('event-1');
    const viewer = await rebuilt.createViewer('a', logger);

    expect(viewer.transportOptions().iceCandidates.map((candidate) => candidate.port)).toEqual([port, port]);
    await sfu.ping(2000);
  });

  it('creates a room once worker 0 is back', async () => {
    sfu = await startSfu({ workers: 1 });

    const deadPid = sfu.workerPid;
    // Asked while the replacement starts, as a live event rebuilding its room does.
    const created = new Promise<Room>((resolve, reject) => {
      sfu!.once('workerdied', () => {
        expect(sfu!.recovering).toBe(true);
        sfu!.createRoom('event-1').then(resolve, reject);
      });
    });

    process.kill(deadPid, 'SIGKILL');

    const room = await created;

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);
    expect(sfu.workerPid).not.toBe(deadPid);
    expect(room.hasSource('venue-camera')).toBe(true);
  });

  it('keeps the room when worker 1 dies', async () => {
    sfu = await startSfu({ workers: 2, viewersPerWorker: 1 });

    const room = await sfu.createRoom('event-1');

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);
    await room.createViewer('a', logger);

    const spilled = await room.createViewer('b', logger);

    await spilled.consume(room.rtpCapabilities, ['venue-camera']);

    const replaced = nextEvent<[WorkerSlot]>(sfu, 'workerreplaced');

    process.kill(sfu.workerPids[1]!, 'SIGKILL');
    await waitFor('the viewer on worker 1 to close', () => spilled.closed);
    expect(room.closed).toBe(false);

    const [replacement] = await replaced;

    expect(replacement.index).toBe(1);
    expect(sfu.viewersPerWorker()).toEqual([1, 0]);

    const again = await room.createViewer('b', logger);
    const consumers = await again.consume(room.rtpCapabilities, ['venue-camera']);
    const piped = (await room.pipedRouters()).get(1)!;

    expect(consumers).toHaveLength(1);
    expect(piped.worker.pid).toBe(replacement.pid);
    expect(sfu.viewersPerWorker()).toEqual([1, 1]);
  });

  it('gives up on workers that keep dying', async () => {
    const policy: RespawnPolicy = { firstDelayMs: 50, maxDelayMs: 200, healthyAfterMs: 60_000, maxAttempts: 3 };

    sfu = await startSfu({ workers: 1 }, policy);

    const replacements: number[] = [];
    const failed = nextEvent<[Error]>(sfu, 'failed');
    const startedAt = Date.now();

    sfu.on('workerreplaced', ({ pid }) => {
      replacements.push(pid);
      process.kill(pid, 'SIGKILL');
    });
    process.kill(sfu.workerPid, 'SIGKILL');

    const [error] = await failed;

    expect(replacements).toHaveLength(3);
    // The second and third replacement waited 50 and 100 ms.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    expect(error.message).toContain('after 3 attempts in a row');
    expect(sfu.closed).toBe(true);
    await expect(sfu.createRoom('event-1')).rejects.toThrow('closed');
  });
});
