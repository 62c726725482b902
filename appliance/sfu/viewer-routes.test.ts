import type { types } from 'mediasoup';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { H264_PROFILE_LEVEL_ID } from './media-codecs.js';
import type { Room } from './room.js';
import { Sfu } from './sfu.js';
import { waitFor } from '../../test/helpers/wait-for.js';

const logger = createLogger('silent');

/** The RTP parameters of an H.264 stream as the venue camera sends it. */
const cameraRtp: types.RtpParameters = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: 102,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': H264_PROFILE_LEVEL_ID },
    },
  ],
  encodings: [{ ssrc: 11111111 }],
};

async function startSfu(workers: number, viewersPerWorker: number): Promise<Sfu> {
  const config = parseConfig({ sfu: { listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0, workers, viewersPerWorker } }, 'the test');

  return Sfu.create(config.sfu, logger);
}

describe('viewers beyond the per-worker limit', () => {
  let sfu: Sfu | undefined;

  afterEach(() => sfu?.close());

  async function liveRoom(): Promise<Room> {
    sfu = await startSfu(2, 1);

    const room = await sfu.createRoom('event-1');

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);

    return room;
  }

  it('starts one worker per configured count', async () => {
    sfu = await startSfu(2, 1);

    expect(new Set(sfu.workerPids).size).toBe(2);
  });

  it('places the second viewer on worker 1', async () => {
    const room = await liveRoom();

    await room.createViewer('a', logger);
    expect(sfu!.viewersPerWorker()).toEqual([1, 0]);
    await room.createViewer('b', logger);
    expect(sfu!.viewersPerWorker()).toEqual([1, 1]);
    expect([...(await room.pipedRouters()).keys()]).toEqual([1]);
  });

  it('pipes a producer on first consume only', async () => {
    const room = await liveRoom();

    await room.createViewer('a', logger);

    const second = await room.createViewer('b', logger);
    const piped = (await room.pipedRouters()).get(1)!;

    expect(piped.pipedProducerIds()).toEqual([]);

    const consumers = await second.consume(room.rtpCapabilities, ['venue-camera']);

    expect(consumers).toHaveLength(1);
    expect(piped.pipedProducerIds()).toEqual([consumers[0]!.producerId]);
  });

  it('closes the pipe and router with the last viewer', async () => {
    const room = await liveRoom();

    await room.createViewer('a', logger);

    const second = await room.createViewer('b', logger);

    await second.consume(room.rtpCapabilities, ['venue-camera']);

    const piped = (await room.pipedRouters()).get(1)!;

    second.close();
    await waitFor('the piped router to close', () => piped.closed);
    expect(piped.pipedProducerIds()).toEqual([]);
    expect(sfu!.viewersPerWorker()).toEqual([1, 0]);
    expect((await room.pipedRouters()).size).toBe(0);
  });

  it('closes an unused pipe, keeps its router', async () => {
    sfu = await startSfu(2, 2);

    const room = await sfu.createRoom('event-1');

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);
    for (const id of ['a', 'b']) await room.createViewer(id, logger);

    const consuming = await room.createViewer('c', logger);

    await room.createViewer('d', logger);
    await consuming.consume(room.rtpCapabilities, ['venue-camera']);

    const piped = (await room.pipedRouters()).get(1)!;
    const producersOnWorker1 = async () =>
      Object.keys(((await piped.router.dump()) as { mapProducerIdConsumerIds: object }).mapProducerIdConsumerIds);

    expect(await producersOnWorker1()).toHaveLength(1);
    consuming.close();
    await waitFor('the pipe producer to close', async () => (await producersOnWorker1()).length === 0);
    expect(piped.closed).toBe(false);
    expect(piped.pipedProducerIds()).toEqual([]);
  });

  it('shares one pipe between viewers on a worker', async () => {
    sfu = await startSfu(2, 3);

    const room = await sfu.createRoom('event-1');

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);
    for (const id of ['a', 'b', 'c']) await room.createViewer(id, logger);

    const viewers = await Promise.all(['d', 'e', 'f'].map((id) => room.createViewer(id, logger)));

    expect(sfu.viewersPerWorker()).toEqual([3, 3]);
    await Promise.all(viewers.map((viewer) => viewer.consume(room.rtpCapabilities, ['venue-camera'])));

    const piped = (await room.pipedRouters()).get(1)!;

    expect(piped.pipedProducerIds()).toHaveLength(1);
    viewers[0]!.close();
    viewers[1]!.close();
    expect(piped.pipedProducerIds()).toHaveLength(1);
    viewers[2]!.close();
    await waitFor('the piped router to close', () => piped.closed);
  });

  it('follows a replaced producer', async () => {
    const room = await liveRoom();

    await room.createViewer('a', logger);

    const second = await room.createViewer('b', logger);
    const [first] = await second.consume(room.rtpCapabilities, ['venue-camera']);
    const piped = (await room.pipedRouters()).get(1)!;

    await room.createRtpIngest('venue-camera', 'video', cameraRtp);
    await waitFor('the old pipe to close', () => piped.pipedProducerIds().length === 0);

    const [again] = await second.consume(room.rtpCapabilities, ['venue-camera']);

    expect(again!.producerId).not.toBe(first!.producerId);
    expect(piped.pipedProducerIds()).toEqual([again!.producerId]);
  });

  it('balances viewers once every worker is full', async () => {
    const room = await liveRoom();

    for (const id of ['a', 'b', 'c', 'd']) await room.createViewer(id, logger);

    expect(sfu!.viewersPerWorker()).toEqual([2, 2]);
  });

  it('keeps the room when worker 1 dies', async () => {
    const room = await liveRoom();
    const died = new Promise<Error>((resolve) => sfu!.once('workerdied', resolve));

    await room.createViewer('a', logger);

    const spilled = await room.createViewer('b', logger);

    process.kill(sfu!.workerPids[1]!, 'SIGKILL');

    expect(await died).toBeInstanceOf(Error);
    expect(spilled.closed).toBe(true);
    expect(room.closed).toBe(false);
    expect(sfu!.closed).toBe(false);
  });

  it('closes routers of every worker with the room', async () => {
    const room = await liveRoom();

    await room.createViewer('a', logger);
    await (await room.createViewer('b', logger)).consume(room.rtpCapabilities, ['venue-camera']);

    const piped = (await room.pipedRouters()).get(1)!;

    room.close();
    await waitFor('the piped router to close', () => piped.closed);
    expect(sfu!.viewersPerWorker()).toEqual([0, 0]);
  });
});
