import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../appliance/signaling/protocol.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Message = { id?: number; ok?: boolean; type?: string; data?: any; error?: { code: string; message: string } };

/** Connects a test signaling client that collects every message it receives. */
async function connect(baseUrl: string, cookie?: string): Promise<{ socket: WebSocket; messages: Message[] }> {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/signaling`, cookie ? { headers: { Cookie: cookie } } : {});
  const messages: Message[] = [];

  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as Message));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  return { socket, messages };
}

function nextReply(messages: Message[], predicate: (message: Message) => boolean): Promise<Message> {
  return waitFor('a signaling reply', () => messages.find(predicate), { timeoutMs: 5000, intervalMs: 20 });
}

async function staffCookie(podium: TestPodium): Promise<string> {
  const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });

  return cookieOf(login.headers)!;
}

describe('signaling over WebSocket', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('join returns the event snapshot', async () => {
    const { socket, messages } = await connect(podium.baseUrl, await staffCookie(podium));

    socket.send(JSON.stringify({ id: 1, type: 'join', data: { page: 'console' } }));

    const reply = await nextReply(messages, (message) => message.id === 1);

    expect(reply.ok).toBe(true);
    expect(reply.data.snapshot.event.state).toBe('ready');
    socket.close();
  });

  it('answers bad messages with errors and keeps serving', async () => {
    const bad = await connect(podium.baseUrl);
    const good = await connect(podium.baseUrl);
    const cases: [string, string][] = [
      ['{not json', 'PODIUM_ERR_SIGNALING_MALFORMED'],
      ['[1,2,3]', 'PODIUM_ERR_SIGNALING_MALFORMED'],
      [JSON.stringify({ id: 7, type: 'fly', data: {} }), 'PODIUM_ERR_SIGNALING_UNKNOWN_TYPE'],
      [JSON.stringify({ id: 8, type: 'join', data: { page: 'admin' } }), 'PODIUM_ERR_SIGNALING_INVALID'],
      [JSON.stringify({ id: 9, type: 'join', data: { page: 'x'.repeat(MAX_MESSAGE_BYTES) } }), 'PODIUM_ERR_SIGNALING_TOO_LARGE'],
      [JSON.stringify({ id: 10, type: 'createRecvTransport', data: {} }), 'PODIUM_ERR_NOT_LIVE'],
      [JSON.stringify({ id: 11, type: 'resumeConsumer', data: { consumerId: 'nope' } }), 'PODIUM_ERR_NO_TRANSPORT'],
    ];

    for (const [raw] of cases) bad.socket.send(raw);

    const errors = await waitFor(
      'an error for each bad message',
      () => {
        const found = bad.messages.filter((message) => message.error);

        return found.length >= cases.length ? found : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );

    expect(errors.map((message) => message.error?.code).sort()).toEqual(cases.map(([, code]) => code).sort());
    expect(errors.find((message) => message.id === 7)?.error?.message).toContain('"fly"');
    expect(errors.find((message) => message.id === 8)?.error?.message).toContain('join');

    good.socket.send(JSON.stringify({ id: 1, type: 'join', data: { page: 'watch' } }));
    expect((await nextReply(good.messages, (message) => message.id === 1)).ok).toBe(true);
    expect(bad.socket.readyState).toBe(WebSocket.OPEN);
    bad.socket.close();
    good.socket.close();
  });

  it('counts open watch pages as viewers', async () => {
    const watch = await connect(podium.baseUrl);

    watch.socket.send(JSON.stringify({ id: 1, type: 'join', data: { page: 'watch' } }));
    await waitFor('one viewer', async () => (await podium.state()).viewers === 1);
    watch.socket.close();
    await waitFor('no viewers', async () => (await podium.state()).viewers === 0);
    expect((await podium.state()).viewers).toBe(0);
  });

  it('closes a connection that sends an oversized frame', async () => {
    const { socket } = await connect(podium.baseUrl);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });

  it('offers a UDP candidate before a TCP one', async () => {
    const { body } = await podium.api('GET', '/api/events');
    const eventId = body.events[0].id;
    const { socket, messages } = await connect(podium.baseUrl);

    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    socket.send(JSON.stringify({ id: 1, type: 'join', data: { page: 'watch' } }));
    socket.send(JSON.stringify({ id: 2, type: 'createRecvTransport', data: {} }));

    const reply = await nextReply(messages, (message) => message.id === 2);
    const candidates = reply.data.iceCandidates as { protocol: string; priority: number; ip: string }[];
    const udp = candidates.find((candidate) => candidate.protocol === 'udp');
    const tcp = candidates.find((candidate) => candidate.protocol === 'tcp');

    expect(reply.ok).toBe(true);
    expect(udp?.ip).toBe('127.0.0.1');
    expect(tcp?.ip).toBe('127.0.0.1');
    expect(udp!.priority).toBeGreaterThan(tcp!.priority);
    socket.close();
    expect((await podium.api('POST', `/api/events/${eventId}/stop`)).status).toBe(200);
  });
});
