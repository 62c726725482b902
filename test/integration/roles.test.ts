import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling } from '../helpers/signaling-client.js';
import { waitFor } from '../helpers/wait-for.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';

/** RTP parameters of the shape a browser sends; the role check comes first. */
const OPUS_PARAMETERS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};

describe('roles in a live event', () => {
  let podium: TestPodium;
  let eventId: string;
  let otherEventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();

    const { body } = await podium.api('GET', '/api/events');

    eventId = body.events[0].id;
    otherEventId = (await podium.api('POST', '/api/events', { title: 'Anderes', startsAt: '2027-01-10T18:00:00Z' })).body.id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
  });

  afterAll(async () => {
    await podium?.close();
  });

  async function inviteCookie(forEvent: string, role = 'speaker'): Promise<{ cookie: string; inviteId: string; url: string }> {
    const created = await podium.api('POST', `/api/events/${forEvent}/invites`, { role, label: 'Frau Beispiel' });
    const url = new URL(created.body.url);
    const joined = await fetch(`${podium.baseUrl}/join${url.search}`, { redirect: 'manual' });

    expect(joined.status).toBe(302);

    return { cookie: cookieOf(joined.headers)!, inviteId: created.body.id, url: created.body.url };
  }

  it('a listener may watch but not publish', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);

    await listener.request('join', { page: 'watch' });

    const recv = await listener.request('createRecvTransport');
    const send = await listener.request('createSendTransport');
    const produce = await listener.request('produce', { kind: 'audio', rtpParameters: OPUS_PARAMETERS, source: 'listener-on-stage' });

    expect(recv.ok).toBe(true);
    expect(send.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(produce.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(produce.error?.message).toBe('a listener may not publish into the room');
    expect(podium.podium.controller.room?.sources()).not.toContain('listener-on-stage');
    listener.close();
  });

  it('a listener may not open the console', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const join = await listener.request('join', { page: 'console' });

    expect(join.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    listener.close();
  });

  it('a speaker publishes only their own sources', async () => {
    const { cookie } = await inviteCookie(eventId);
    const speaker = await TestSignaling.connect(podium.baseUrl, cookie);

    await speaker.request('join', { page: 'watch' });
    await speaker.request('createRecvTransport');

    const room = podium.podium.controller.room!;
    const venueMic = await room.producerStats('venue-mic');

    const send = await speaker.request('createSendTransport');
    const venue = await speaker.request('produce', { kind: 'audio', rtpParameters: OPUS_PARAMETERS, source: 'venue-mic' });

    expect(send.ok).toBe(true);
    expect(send.data.iceCandidates.length).toBeGreaterThan(0);
    expect(venue.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(venue.error?.message).toContain('"venue-mic"');
    // Still the capture's producer: its packet count went on from where it was.
    expect((await room.producerStats('venue-mic'))!.packetCount).toBeGreaterThanOrEqual(venueMic!.packetCount);
    speaker.close();
  });

  it('a speaker cannot use staff routes', async () => {
    const { cookie } = await inviteCookie(eventId);
    const result = await podium.apiAs(cookie, 'GET', '/api/events');

    expect(result.status).toBe(403);
    expect(result.body.code).toBe('PODIUM_ERR_FORBIDDEN');
  });

  it('a speaker invite for another event is refused', async () => {
    const { cookie } = await inviteCookie(otherEventId);
    const speaker = await TestSignaling.connect(podium.baseUrl, cookie);

    await speaker.request('join', { page: 'watch' });

    const recv = await speaker.request('createRecvTransport');
    const send = await speaker.request('createSendTransport');

    expect(recv.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(send.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    speaker.close();
  });

  it('a tampered invite token is refused', async () => {
    const created = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'interpreter', label: 'Dolmetscher' });
    const token = new URL(created.body.url).searchParams.get('invite')!;
    const [payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'speaker' })).toString('base64url');
    const result = await fetch(`${podium.baseUrl}/join?invite=${forged}.${signature}`, { redirect: 'manual' });

    expect(result.status).toBe(403);
    expect((await result.json()).code).toBe('PODIUM_ERR_INVITE_INVALID');
    expect(result.headers.get('set-cookie')).toBeNull();
  });

  it('an expired invite is refused', async () => {
    const { token } = podium.podium.access.createInvite(eventId, 'captioner', 'Schriftdolmetscherin', -1);
    const result = await fetch(`${podium.baseUrl}/join?invite=${token}`, { redirect: 'manual' });
    const body = await result.json();

    expect(result.status).toBe(403);
    expect(body.message).toContain('expired');
  });

  it('a revoked invite is refused and its session ends', async () => {
    const { cookie, inviteId, url } = await inviteCookie(eventId);

    expect((await podium.apiAs(cookie, 'GET', '/api/me')).body.role).toBe('speaker');
    await podium.api('POST', `/api/invites/${inviteId}/revoke`);

    const again = await fetch(`${podium.baseUrl}/join${new URL(url).search}`, { redirect: 'manual' });

    expect(again.status).toBe(403);
    expect((await again.json()).message).toContain('revoked');
    expect((await podium.apiAs(cookie, 'GET', '/api/me')).body.role).toBe('listener');
  });

  it('revoking an invite closes its open connection', async () => {
    const { cookie, inviteId } = await inviteCookie(eventId);
    const speaker = await TestSignaling.connect(podium.baseUrl, cookie);
    const closed = new Promise<number>((resolve) => speaker.socket.once('close', (code) => resolve(code)));

    await speaker.request('join', { page: 'watch' });
    expect((await speaker.request('createRecvTransport')).ok).toBe(true);
    await podium.api('POST', `/api/invites/${inviteId}/revoke`);
    await closed;
    expect(speaker.socket.readyState).toBe(speaker.socket.CLOSED);
  });

  it('logout closes the staff console connection', async () => {
    const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });
    const cookie = cookieOf(login.headers)!;
    const staff = await TestSignaling.connect(podium.baseUrl, cookie);
    const closed = new Promise<number>((resolve) => staff.socket.once('close', (code) => resolve(code)));

    expect((await staff.request('join', { page: 'console' })).ok).toBe(true);
    await podium.apiAs(cookie, 'POST', '/api/logout');
    await closed;
    expect(staff.socket.readyState).toBe(staff.socket.CLOSED);
  });

  it('signaling from another origin is refused', async () => {
    const foreign = await TestSignaling.connect(podium.baseUrl, undefined, 'http://evil.example');
    const code = await new Promise<number>((resolve) => foreign.socket.once('close', (closeCode) => resolve(closeCode)));

    expect(code).toBe(1008);
  });

  it('invite list shows no token', async () => {
    const { body } = await podium.api('GET', `/api/events/${eventId}/invites`);

    expect(body.invites.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain('invite=');
    expect(body.invites.some((invite: { revokedAt: string | null }) => invite.revokedAt !== null)).toBe(true);
  });
});

describe('events with an access code', () => {
  let podium: TestPodium;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = (
      await podium.api('POST', '/api/events', { title: 'Vereinssitzung', startsAt: '2027-02-01T19:00:00Z', accessCode: 'lesekreis-7' })
    ).body.id;
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('hide media and HLS from listeners without the code', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const join = await listener.request('join', { page: 'watch' });
    const recv = await listener.request('createRecvTransport');
    const hls = await fetch(`${podium.baseUrl}/hls/${eventId}/index.m3u8`);

    expect(join.data.snapshot.accessGranted).toBe(false);
    expect(join.data.snapshot.hlsUrl).toBeNull();
    expect(recv.error?.code).toBe('PODIUM_ERR_ACCESS_CODE_REQUIRED');
    expect(hls.status).toBe(403);
    listener.close();
  });

  it('refuse every spelling of an HLS path without the code', async () => {
    const encodedFirst = `%${eventId.charCodeAt(0).toString(16)}${eventId.slice(1)}`;
    const paths = [
      `/hls/${encodedFirst}/index.m3u8`,
      `/hls/${eventId.replaceAll('-', '%2D')}/index.m3u8`,
      `/hls/${eventId}%2Findex.m3u8`,
      `/hls/${eventId}/index%2Em3u8`,
    ];

    for (const path of paths) {
      const response = await fetch(`${podium.baseUrl}${path}`);

      expect([401, 403, 404], path).toContain(response.status);
    }
  });

  it('reject a wrong code', async () => {
    const wrong = await podium.apiAs(undefined, 'POST', `/api/events/${eventId}/access`, { code: 'falsch-123' });

    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('PODIUM_ERR_ACCESS_CODE_WRONG');
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('open media and HLS with the right code', async () => {
    const granted = await podium.apiAs(undefined, 'POST', `/api/events/${eventId}/access`, { code: 'lesekreis-7' });
    const cookie = cookieOf(granted.headers);
    const listener = await TestSignaling.connect(podium.baseUrl, cookie);
    const join = await listener.request('join', { page: 'watch' });
    const recv = await listener.request('createRecvTransport');
    const state = await podium.apiAs(cookie, 'GET', '/api/state');

    expect(granted.status).toBe(200);
    expect(join.data.snapshot.accessGranted).toBe(true);
    expect(recv.ok).toBe(true);
    expect(state.body.hlsUrl).toBe(`/hls/${eventId}/index.m3u8`);
    expect(state.body.event.failureReason).toBeNull();
    listener.close();
  });
});

describe('a listener with a code for one event', () => {
  it('may still watch the next public event', async () => {
    const podium = await startTestPodium();

    try {
      const closed = await podium.api('POST', '/api/events', { title: 'Intern', startsAt: '2027-02-01T19:00:00Z', accessCode: 'intern-1' });
      const open = await podium.api('POST', '/api/events', { title: 'Öffentlich', startsAt: '2027-02-02T19:00:00Z' });
      const granted = await podium.apiAs(undefined, 'POST', `/api/events/${closed.body.id}/access`, { code: 'intern-1' });
      const cookie = cookieOf(granted.headers);

      await podium.api('POST', `/api/events/${open.body.id}/start`);
      await podium.waitForState('live');

      const listener = await TestSignaling.connect(podium.baseUrl, cookie);
      const join = await listener.request('join', { page: 'watch' });
      const recv = await listener.request('createRecvTransport');

      expect(join.data.snapshot.accessGranted).toBe(true);
      expect(recv.ok).toBe(true);
      listener.close();
    } finally {
      await podium.close();
    }
  });
});

describe('signaling input limits', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('rate-limits a connection that sends too fast', async () => {
    const client = await TestSignaling.connect(podium.baseUrl);

    for (let index = 0; index < 120; index++) {
      client.socket.send(JSON.stringify({ id: 1000 + index, type: 'join', data: { page: 'watch' } }));
    }

    const answers = await waitFor('an answer to each message', () =>
      client.messages.filter((message) => message.id !== undefined && message.id >= 1000).length >= 120
        ? client.messages
        : undefined,
    );
    const limited = answers.filter((message) => message.error?.code === 'PODIUM_ERR_RATE_LIMITED');
    const later = await waitFor('the connection to be served again', async () => {
      const reply = await client.request('join', { page: 'watch' });

      return reply.ok ? reply : undefined;
    });

    expect(limited.length).toBeGreaterThanOrEqual(60);
    expect(limited[0]?.error?.message).toContain('too many signaling messages');
    expect(later.ok).toBe(true);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('rejects a display name over 60 characters', async () => {
    const client = await TestSignaling.connect(podium.baseUrl);
    const long = await client.request('join', { page: 'watch', name: 'x'.repeat(61) });
    const fine = await client.request('join', { page: 'watch', name: 'Anna' });

    expect(long.error?.code).toBe('PODIUM_ERR_SIGNALING_INVALID');
    expect(fine.ok).toBe(true);
    client.close();
  });
});
