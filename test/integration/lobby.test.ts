import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling } from '../helpers/signaling-client.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const lastSnapshot = (connection: TestSignaling) =>
  connection.messages.filter((message) => message.type === 'eventState').at(-1)?.data;

describe('event lobby', () => {
  let podium: TestPodium;
  let eventId: string;
  let staff: TestSignaling;

  beforeAll(async () => {
    podium = await startTestPodium();

    const created = await podium.api('POST', '/api/events', { title: 'Lesung', startsAt: '2027-03-01T18:00:00Z', lobby: true });

    eventId = created.body.id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    await waitFor('the HLS playlist', async () => (await podium.state()).outputs?.hls === 'live', { timeoutMs: 45_000 });

    const staffCookie = cookieOf((await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword })).headers);

    staff = await TestSignaling.connect(podium.baseUrl, staffCookie);
    await staff.request('join', { page: 'console' });
  });

  afterAll(async () => {
    staff?.close();
    await podium?.close();
  });

  it('keeps a listener waiting without media, HLS or questions', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const joined = await listener.request('join', { page: 'watch', name: 'Clara', listenerKey: 'clara-key-0000000001' });

    expect(joined.data.snapshot.lobby).toBe('waiting');
    expect(joined.data.snapshot.hlsUrl).toBeNull();
    expect((await listener.request('getRouterRtpCapabilities')).error?.code).toBe('PODIUM_ERR_LOBBY_WAITING');
    expect((await listener.request('createRecvTransport')).error?.code).toBe('PODIUM_ERR_LOBBY_WAITING');
    expect((await listener.request('askQuestion', { text: 'Darf ich rein?' })).error?.code).toBe('PODIUM_ERR_LOBBY_WAITING');
    expect((await podium.apiAs(undefined, 'GET', `/hls/${eventId}/index.m3u8`)).status).toBe(403);
    expect((await podium.apiAs(undefined, 'GET', '/api/state')).body.hlsUrl).toBeNull();

    const guest = await waitFor('the guest on the console', () =>
      staff.messages.filter((message) => message.type === 'lobby').at(-1)?.data.guests.find((entry: { name: string }) => entry.name === 'Clara'),
    );

    expect((await podium.api('GET', `/api/events/${eventId}/lobby`)).body.guests).toHaveLength(1);
    listener.close();
    await waitFor('the guest gone after the page closed', async () =>
      (await podium.api('GET', `/api/events/${eventId}/lobby`)).body.guests.every((entry: { peerId: string }) => entry.peerId !== guest.peerId),
    );
  });

  it('admits one listener, who may then receive and fetch HLS', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);

    await listener.request('join', { page: 'watch', listenerKey: 'dora-key-00000000001' });

    const { peerId } = (await podium.api('GET', `/api/events/${eventId}/lobby`)).body.guests[0];
    const admitted = await podium.api('POST', `/api/events/${eventId}/lobby/admit`, { peerId });
    const ticket = await waitFor('the admission ticket', () => listener.messages.find((message) => message.type === 'admitted')?.data.ticket);

    expect(admitted.status).toBe(200);
    await waitFor('the admitted snapshot', () => lastSnapshot(listener)?.lobby === 'admitted');
    expect(lastSnapshot(listener).hlsUrl).toBe(`/hls/${eventId}/index.m3u8`);
    expect((await listener.request('createRecvTransport')).ok).toBe(true);

    const exchange = await podium.apiAs(undefined, 'POST', `/api/events/${eventId}/admission`, { ticket });
    const cookie = cookieOf(exchange.headers);
    const reused = await podium.apiAs(undefined, 'POST', `/api/events/${eventId}/admission`, { ticket });

    expect(exchange.status).toBe(200);
    expect(reused.body.code).toBe('PODIUM_ERR_ADMISSION_INVALID');
    expect((await podium.apiAs(cookie, 'GET', `/hls/${eventId}/index.m3u8`)).status).toBe(200);
    expect((await podium.apiAs(cookie, 'GET', '/api/state')).body.lobby).toBe('admitted');
    listener.close();

    // A reload with the same listener key comes straight in.
    const reloaded = await TestSignaling.connect(podium.baseUrl);

    expect((await reloaded.request('join', { page: 'watch', listenerKey: 'dora-key-00000000001' })).data.snapshot.lobby).toBe('admitted');
    reloaded.close();
  });

  it('admits everyone waiting at once', async () => {
    const listeners = await Promise.all([1, 2, 3].map(() => TestSignaling.connect(podium.baseUrl)));

    await Promise.all(listeners.map((listener) => listener.request('join', { page: 'watch' })));

    const result = await podium.api('POST', `/api/events/${eventId}/lobby/admit-all`);

    expect(result.body.admitted).toBe(3);
    for (const listener of listeners) {
      await waitFor('each admission', () => listener.messages.find((message) => message.type === 'admitted'));
      expect((await listener.request('getRouterRtpCapabilities')).ok).toBe(true);
      listener.close();
    }
  });

  it('refuses admitting a page that does not wait', async () => {
    const result = await podium.api('POST', `/api/events/${eventId}/lobby/admit`, { peerId: 'nobody' });

    expect(result.body.code).toBe('PODIUM_ERR_LOBBY_GUEST_NOT_FOUND');
  });

  it('lets listeners in directly once staff turn it off', async () => {
    const off = await podium.api('POST', `/api/events/${eventId}/lobby`, { enabled: false });
    const listener = await TestSignaling.connect(podium.baseUrl);
    const joined = await listener.request('join', { page: 'watch' });

    expect(off.body.hasLobby).toBe(false);
    expect(joined.data.snapshot.lobby).toBeNull();
    expect((await listener.request('getRouterRtpCapabilities')).ok).toBe(true);
    expect((await podium.apiAs(undefined, 'GET', `/hls/${eventId}/index.m3u8`)).status).toBe(200);
    listener.close();
  });
});
