import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { observer as mediasoupObserver, type types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FuzzRandom, fuzzMessage } from '../helpers/signaling-fuzz.js';
import { TestSignaling } from '../helpers/signaling-client.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

setFlagsFromString('--expose-gc');

const collectGarbage = runInNewContext('gc') as () => void;

/** Parallel connections that each send below the rate limit. */
const LANES = 8;
/** Connections each lane opens one after another. */
const CONNECTIONS_PER_LANE = 9;
/** Messages per paced connection: fewer than the 200 rejected messages after which Podium closes a connection. */
const MESSAGES_PER_CONNECTION = 140;
/** Pause between two messages of a paced connection: 40 a second, below the limit of 50. */
const PACE_MS = 25;
const FLOODERS = 4;
const MESSAGES_PER_FLOODER = 1000;

type ConnectionResult = {
  sent: number;
  /** Responses with an id and "error" notifications: one per message that Podium processed. */
  replied: number;
  /** The close code, when Podium closed the connection. */
  closeCode: number | undefined;
  codes: Map<string, number>;
};

/** Tracks the open WebRTC transports of every worker started from now on, through mediasoup's observer API. */
function trackWebRtcTransports(): Set<string> {
  const open = new Set<string>();

  mediasoupObserver.on('newworker', (worker: types.Worker) => {
    worker.observer.on('newrouter', (router: types.Router) => {
      router.observer.on('newtransport', (transport: types.Transport) => {
        if (!('iceParameters' in transport)) return;
        open.add(transport.id);
        transport.observer.once('close', () => open.delete(transport.id));
      });
    });
  });

  return open;
}

/** Opens a raw signaling connection, as staff with their cookie or else as a listener, and counts the replies to what it sends. */
async function openCounted(baseUrl: string, cookie?: string): Promise<{ socket: WebSocket; result: ConnectionResult }> {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/signaling`, cookie ? { headers: { Cookie: cookie } } : {});
  const result: ConnectionResult = { sent: 0, replied: 0, closeCode: undefined, codes: new Map() };

  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as { id?: number; ok?: boolean; type?: string; error?: { code: string } };
    const isResponse = typeof message.id === 'number' && typeof message.ok === 'boolean';

    if (!isResponse && message.type !== 'error') return;
    result.replied++;

    const code = message.ok ? 'ok' : (message.error?.code ?? 'no code');

    result.codes.set(code, (result.codes.get(code) ?? 0) + 1);
  });
  socket.on('close', (code) => (result.closeCode = code));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  return { socket, result };
}

function send(socket: WebSocket, result: ConnectionResult, message: { payload: string | Buffer; binary: boolean }): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  socket.send(message.payload, { binary: message.binary });
  result.sent++;
}

/**
 * Sends random messages below the rate limit, sometimes three requests for
 * a transport at once, and waits for every reply.
 */
async function runPacedConnection(baseUrl: string, random: FuzzRandom, cookie?: string): Promise<ConnectionResult> {
  const { socket, result } = await openCounted(baseUrl, cookie);
  let nextId = 1;

  while (result.sent < MESSAGES_PER_CONNECTION && result.closeCode === undefined) {
    if (random.chance(0.04)) {
      const type = random.pick(['createRecvTransport', 'createSendTransport']);

      for (let i = 0; i < 3; i++) send(socket, result, { payload: JSON.stringify({ id: nextId++, type, data: {} }), binary: false });
    } else {
      send(socket, result, fuzzMessage(random, nextId++));
    }
    await delay(PACE_MS);
  }
  await waitFor(
    `replies to all ${result.sent} messages (got ${result.replied})`,
    () => result.replied >= result.sent || result.closeCode !== undefined,
    { timeoutMs: 30_000, intervalMs: 20 },
  );
  socket.close();

  return result;
}

/** Sends random messages as fast as the socket takes them, and waits until Podium closes the connection. */
async function runFlooder(baseUrl: string, random: FuzzRandom): Promise<ConnectionResult> {
  const { socket, result } = await openCounted(baseUrl);

  for (let id = 1; id <= MESSAGES_PER_FLOODER; id++) send(socket, result, fuzzMessage(random, id));
  await waitFor('Podium to close the flooding connection', () => result.closeCode !== undefined, { timeoutMs: 60_000 });

  return result;
}

/** Sends one frame that breaks the WebSocket protocol's rules, and returns the code Podium closed with. */
async function runProtocolViolation(baseUrl: string, frame: Buffer | string, binary: boolean): Promise<number> {
  const { socket, result } = await openCounted(baseUrl);

  socket.send(frame, { binary });

  return waitFor('Podium to close the connection', () => result.closeCode, { timeoutMs: 30_000 });
}

/** Starts a listener's watch connection with a receive transport. */
async function startNormalViewer(baseUrl: string): Promise<TestSignaling> {
  const viewer = await TestSignaling.connect(baseUrl);

  expect((await viewer.request('join', { page: 'watch' })).ok).toBe(true);
  expect((await viewer.request('createRecvTransport')).ok).toBe(true);

  return viewer;
}

function heapUsedAfterGc(): number {
  collectGarbage();
  collectGarbage();

  return process.memoryUsage().heapUsed;
}

function sum(results: ConnectionResult[], key: 'sent' | 'replied'): number {
  return results.reduce((total, result) => total + result[key], 0);
}

describe('signaling under random and malformed messages', () => {
  let podium: TestPodium;
  let staffCookie: string;
  let openTransports: Set<string>;
  const seed = Number(process.env.PODIUM_FUZZ_SEED ?? Date.now() % 2 ** 31);

  beforeAll(async () => {
    openTransports = trackWebRtcTransports();
    podium = await startTestPodium({ log: { level: 'error' } });

    const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });

    staffCookie = cookieOf(login.headers)!;
    await podium.goLive();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('replies to each message or closes flooders', { timeout: 300_000 }, async () => {
    console.info(`signaling fuzz seed ${seed} (repeat with PODIUM_FUZZ_SEED=${seed})`);

    const random = new FuzzRandom(seed);
    const viewer = await startNormalViewer(podium.baseUrl);

    // A first connection warms up the code paths, so that the heap baseline includes what they load once.
    await runPacedConnection(podium.baseUrl, random);

    const heapBefore = heapUsedAfterGc();
    let fuzzing = true;
    const viewerLatencies: number[] = [];
    const viewerLoop = (async () => {
      while (fuzzing) {
        const started = Date.now();
        const reply = await viewer.request('getRouterRtpCapabilities');

        expect(reply.ok).toBe(true);
        viewerLatencies.push(Date.now() - started);
        // The client keeps every message it receives, snapshots and question lists included, which would count as Podium's heap.
        viewer.messages.length = 0;
        await delay(200);
      }
    })();
    // The first lane acts as staff, who may also publish, and the others as listeners.
    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      const results: ConnectionResult[] = [];
      const cookie = lane === 0 ? staffCookie : undefined;

      for (let i = 0; i < CONNECTIONS_PER_LANE; i++) results.push(await runPacedConnection(podium.baseUrl, random, cookie));

      return results;
    });
    const flooders = Array.from({ length: FLOODERS }, () => runFlooder(podium.baseUrl, random));
    const paced = (await Promise.all(lanes)).flat();
    const flooded = await Promise.all(flooders);
    const violationCodes = [
      await runProtocolViolation(podium.baseUrl, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false),
      await runProtocolViolation(podium.baseUrl, 'x'.repeat(2 * 1024 * 1024), false),
    ];

    fuzzing = false;
    await viewerLoop;

    const codes = new Map<string, number>();

    for (const result of [...paced, ...flooded]) {
      for (const [code, count] of result.codes) codes.set(code, (codes.get(code) ?? 0) + count);
    }
    console.info(
      `signaling fuzz: ${sum(paced, 'sent')} paced and ${sum(flooded, 'sent')} flooding messages; replies by code:`,
      Object.fromEntries(codes),
    );

    expect(sum(paced, 'sent') + sum(flooded, 'sent')).toBeGreaterThanOrEqual(10_000);
    expect(paced.filter((result) => result.closeCode !== undefined && result.replied < result.sent)).toEqual([]);
    expect(sum(paced, 'replied')).toBe(sum(paced, 'sent'));
    expect(flooded.map((result) => result.closeCode)).toEqual(Array(FLOODERS).fill(1008));
    expect(violationCodes).toEqual([1007, 1009]);
    expect(codes.get('PODIUM_ERR_INTERNAL')).toBeUndefined();
    expect([...codes.keys()].filter((code) => code !== 'ok' && !code.startsWith('PODIUM_ERR_'))).toEqual([]);

    // The normal viewer was served throughout.
    expect(viewerLatencies.length).toBeGreaterThan(10);
    console.info(`normal viewer: ${viewerLatencies.length} requests, slowest reply after ${Math.max(...viewerLatencies)} ms`);
    expect(Math.max(...viewerLatencies)).toBeLessThan(10_000);
    expect(viewer.socket.readyState).toBe(WebSocket.OPEN);

    // Every fuzzing connection is gone: one watch page, and one WebRTC transport, the normal viewer's.
    await waitFor('one watch page', async () => (await podium.state()).viewers === 1);
    expect((await podium.api('GET', '/api/status')).body.viewers.webrtc).toBe(1);
    await waitFor('only the normal viewer\'s WebRTC transport open', () => openTransports.size === 1, { timeoutMs: 10_000 });

    const heapAfter = heapUsedAfterGc();

    console.info(`heap used after gc: ${(heapBefore / 1e6).toFixed(1)} MB before, ${(heapAfter / 1e6).toFixed(1)} MB after`);
    expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
    viewer.close();
  });
});
