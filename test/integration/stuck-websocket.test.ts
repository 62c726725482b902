import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestSignaling } from '../helpers/signaling-client.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** Parallel connections that each join and leave as a watch page, so that Podium sends every page a snapshot. */
const DRIVERS = 4;
/** An upper bound on join-and-leave rounds: at about 4.5 KB a snapshot, 20,000 snapshots are 90 MB. */
const MAX_ROUNDS = 10_000;

/** Opens a watch page's connection and returns it once Podium responded to its join. */
async function joinAsWatchPage(baseUrl: string): Promise<WebSocket> {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/signaling`);
  const joined = new Promise<void>((resolve, reject) => {
    socket.on('message', (raw) => {
      if ((JSON.parse(raw.toString()) as { id?: number }).id === 1) resolve();
    });
    socket.once('error', reject);
  });

  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ id: 1, type: 'join', data: { page: 'watch' } }));
  await joined;

  return socket;
}

async function closeAndWait(socket: WebSocket): Promise<void> {
  const closed = new Promise((resolve) => socket.once('close', resolve));

  socket.close();
  await closed;
}

describe('a signaling connection that stops reading', () => {
  const logLines: string[] = [];
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({}, undefined, logLines);

    // A long description makes each snapshot about 4.5 KB, so that the buffers fill sooner.
    const created = await podium.api('POST', '/api/events', {
      title: 'Lesung mit langer Beschreibung',
      description: 'Eine lange Beschreibung. '.repeat(160),
      startsAt: new Date().toISOString(),
    });

    expect(created.status).toBe(201);
    await podium.api('POST', `/api/events/${created.body.id}/select`);
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('is dropped while others keep receiving', { timeout: 300_000 }, async () => {
    const stuck = await joinAsWatchPage(podium.baseUrl);
    const healthy = await TestSignaling.connect(podium.baseUrl);

    expect((await healthy.request('join', { page: 'watch' })).ok).toBe(true);

    let stuckClosed = false;

    stuck.on('close', () => (stuckClosed = true));
    // The client stops reading its socket: the kernel's buffers fill, then Podium's send buffer.
    stuck.pause();

    const dropped = () => logLines.some((line) => line.includes('peer stopped reading'));
    let rounds = 0;

    await Promise.all(
      Array.from({ length: DRIVERS }, async () => {
        while (!dropped() && rounds < MAX_ROUNDS) {
          rounds++;
          await closeAndWait(await joinAsWatchPage(podium.baseUrl));
        }
      }),
    );
    console.info(`stuck signaling connection dropped after ${rounds} join-and-leave rounds`);

    expect(dropped()).toBe(true);
    await waitFor('one watch page left', async () => (await podium.state()).viewers === 1);

    // The healthy page kept receiving, up to the last snapshot.
    const snapshots = healthy.messages.filter((message) => message.type === 'eventState');

    expect(snapshots.length).toBeGreaterThanOrEqual(rounds);
    await waitFor('the healthy page to see one viewer', () => healthy.messages.at(-1)?.data?.viewers === 1);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);

    // Once the stuck client reads again, it finds its connection closed.
    stuck.resume();
    await waitFor('the stuck client to see its connection closed', () => stuckClosed);
    healthy.close();
  });
});
