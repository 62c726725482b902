import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling, type SignalingMessage } from '../helpers/signaling-client.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Participant = { signaling: TestSignaling; join: SignalingMessage; peerId: string };

function newKey(): string {
  return randomBytes(16).toString('hex');
}

/** Returns the newest meeting snapshot a connection received. */
function lastSnapshot(signaling: TestSignaling): any {
  return signaling.messages.filter((message) => message.type === 'meeting').at(-1)?.data;
}

function closeCode(signaling: TestSignaling): Promise<number> {
  return new Promise((resolve) => {
    if (signaling.socket.readyState === signaling.socket.CLOSED) resolve(-1);
    signaling.socket.once('close', (code) => resolve(code));
  });
}

describe('meetings over signaling', () => {
  let podium: TestPodium;
  const open: TestSignaling[] = [];

  async function connect(cookie?: string): Promise<TestSignaling> {
    const signaling = await TestSignaling.connect(podium.baseUrl, cookie, undefined, '/meetings/signaling');

    open.push(signaling);

    return signaling;
  }

  async function join(meetingId: string, name: string, extra: object = {}, cookie?: string): Promise<Participant> {
    const signaling = await connect(cookie);
    const response = await signaling.request('join', { meetingId, name, participantKey: newKey(), ...extra });

    return { signaling, join: response, peerId: response.data?.snapshot?.self.peerId };
  }

  async function createMeeting(body: object): Promise<any> {
    const response = await podium.api('POST', '/api/meetings', body);

    expect(response.status, response.text).toBe(201);

    return response.body;
  }

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    for (const signaling of open) signaling.close();
    await podium?.close();
  });

  it('staff create and list meetings; others may not', async () => {
    const meeting = await createMeeting({ name: '  Lesekreis  ', accessCode: 'buch42', lobby: false });

    expect(meeting).toMatchObject({ name: 'Lesekreis', accessCode: 'buch42', lobby: false, state: 'open', locked: false, participants: 0 });
    expect(meeting.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(meeting.link).toBe(`/meet?id=${meeting.id}`);
    expect(meeting.moderatorLink).toMatch(new RegExp(`^/meet\\?id=${meeting.id}&moderator=[A-Za-z0-9_-]{43}$`));

    const list = await podium.api('GET', '/api/meetings');

    expect(list.body.map((entry: { id: string }) => entry.id)).toContain(meeting.id);
    expect((await podium.apiAs(undefined, 'POST', '/api/meetings', { name: 'x' })).status).toBe(401);
    expect((await podium.apiAs(undefined, 'GET', '/api/meetings')).status).toBe(401);

    const publicInfo = await podium.apiAs(undefined, 'GET', `/api/meetings/${meeting.id}/public`);

    expect(publicInfo.body).toEqual({ id: meeting.id, name: 'Lesekreis', hasAccessCode: true, lobby: false, state: 'open', locked: false });
    expect((await podium.apiAs(undefined, 'GET', '/api/meetings/nope/public')).body.code).toBe('PODIUM_ERR_MEETING_NOT_FOUND');
  });

  it.each([
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(81) }, 'name'],
    [{ name: 'Team', accessCode: 'a b' }, 'accessCode'],
    [{ name: 'Team', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    [{ name: 'Team', expiresAt: 'tomorrow' }, 'expiresAt'],
  ])('rejects the meeting %j', async (body, key) => {
    const response = await podium.api('POST', '/api/meetings', body);

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('PODIUM_ERR_MEETING_INVALID');
    expect(response.body.message).toContain(`"${key}"`);
  });

  it('guests need the access code; the moderator link and staff do not', async () => {
    const meeting = await createMeeting({ name: 'Vorstand', accessCode: 'geheim1' });
    const without = await join(meeting.id, 'Ohne Code');
    const wrong = await join(meeting.id, 'Falscher Code', { accessCode: 'falsch1' });

    expect(without.join.error?.code).toBe('PODIUM_ERR_MEETING_ACCESS_CODE');
    expect(wrong.join.error?.code).toBe('PODIUM_ERR_MEETING_ACCESS_CODE');

    const guest = await join(meeting.id, 'Gast', { accessCode: 'GEHEIM1' });

    expect(guest.join.ok).toBe(true);
    expect(guest.join.data.snapshot.self).toMatchObject({ state: 'joined', moderator: false });
    expect(guest.join.data.routerRtpCapabilities.codecs.map((codec: { mimeType: string }) => codec.mimeType)).toContain('video/VP8');

    const moderatorKey = new URL(meeting.moderatorLink, podium.baseUrl).searchParams.get('moderator')!;
    const chair = await join(meeting.id, 'Vorsitz', { moderatorKey });
    const staff = await join(meeting.id, 'Bibliothek', {}, podium.staffCookie);
    const forged = await join(meeting.id, 'Fälschung', { moderatorKey: moderatorKey.slice(0, -2) + 'xx' });

    expect(chair.join.data.snapshot.self.moderator).toBe(true);
    expect(staff.join.data.snapshot.self.moderator).toBe(true);
    expect(forged.join.error?.code).toBe('PODIUM_ERR_MEETING_ACCESS_CODE');

    const snapshot = await waitFor('three participants', () => {
      const latest = lastSnapshot(guest.signaling);

      return latest?.participants.length === 3 ? latest : undefined;
    });

    expect(snapshot.participants.map((participant: { name: string }) => participant.name)).toEqual(['Gast', 'Vorsitz', 'Bibliothek']);
    expect((await podium.api('GET', '/api/meetings')).body.find((entry: { id: string }) => entry.id === meeting.id).participants).toBe(3);
  });

  it('requests before the join, and unknown meetings, get clear errors', async () => {
    const signaling = await connect();

    expect((await signaling.request('chat', { text: 'hallo' })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_JOINED');
    expect((await signaling.request('join', { meetingId: 'missing', name: 'A', participantKey: newKey() })).error?.code).toBe(
      'PODIUM_ERR_MEETING_NOT_FOUND',
    );
    expect((await signaling.request('join', { meetingId: 'x', name: 'A', participantKey: 'short' })).error?.code).toBe(
      'PODIUM_ERR_SIGNALING_INVALID',
    );
    expect((await signaling.request('kick', {})).error?.code).toBe('PODIUM_ERR_SIGNALING_UNKNOWN_TYPE');

    // Requests in the wrong order after the join name the missing transport.
    const meeting = await createMeeting({ name: 'Reihenfolge' });
    const early = await join(meeting.id, 'Eilig');
    const consumed = await early.signaling.request('consume', { producerId: 'p', rtpCapabilities: {} });

    expect(consumed.error?.code).toBe('PODIUM_ERR_MEETING_TRACK_NOT_FOUND');
    expect(consumed.error?.message).toContain('"recv"');
    expect((await early.signaling.request('produce', { kind: 'audio', source: 'microphone', rtpParameters: { codecs: [{}] } })).error?.code).toBe(
      'PODIUM_ERR_MEETING_TRACK_NOT_FOUND',
    );
  });

  it('the lobby: guests wait until a moderator admits or denies them', async () => {
    const meeting = await createMeeting({ name: 'Sprechstunde', lobby: true });
    const host = await join(meeting.id, 'Beratung', {}, podium.staffCookie);
    const guest = await join(meeting.id, 'Leserin');
    const other = await join(meeting.id, 'Unbekannt');

    expect(guest.join.data.snapshot.self.state).toBe('waiting');
    expect(guest.join.data.snapshot.participants).toEqual([]);
    expect((await guest.signaling.request('createTransport', { direction: 'recv' })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_JOINED');
    expect((await guest.signaling.request('chat', { text: 'Hallo?' })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_JOINED');

    const lobby = await waitFor('both guests in the moderator\'s lobby', () => {
      const latest = lastSnapshot(host.signaling);

      return latest?.lobby.length === 2 ? latest.lobby : undefined;
    });

    expect(lobby.map((entry: { name: string }) => entry.name)).toEqual(['Leserin', 'Unbekannt']);
    await host.signaling.request('chat', { text: 'Vor dem Einlass' });
    expect((await guest.signaling.request('admit', { peerId: other.peerId })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_JOINED');
    expect((await host.signaling.request('admit', { peerId: guest.peerId })).ok).toBe(true);
    await waitFor('the guest admitted', () => (lastSnapshot(guest.signaling)?.self.state === 'joined' ? true : undefined));
    // An admitted guest gets the chat so far.
    const history = await waitFor('the chat history', () => guest.signaling.messages.find((message) => message.type === 'chatHistory'));

    expect(history.data.messages.map((message: { text: string }) => message.text)).toEqual(['Vor dem Einlass']);

    const closed = closeCode(other.signaling);

    expect((await host.signaling.request('deny', { peerId: other.peerId })).ok).toBe(true);
    expect(await closed).toBe(4001);
    expect(lastSnapshot(other.signaling).self.state).toBe('denied');
    expect((await host.signaling.request('admit', { peerId: other.peerId })).error?.code).toBe('PODIUM_ERR_MEETING_PEER_NOT_FOUND');
  });

  it('one client address puts at most five guests in a lobby', async () => {
    const meeting = await createMeeting({ name: 'Andrang', lobby: true });
    const guests = [];

    for (let index = 0; index < 5; index++) guests.push(await join(meeting.id, `Gast ${index}`));
    expect(guests.map((guest) => guest.join.data?.snapshot.self.state)).toEqual(Array(5).fill('waiting'));

    const sixth = await join(meeting.id, 'Gast 5');

    expect(sixth.join.error?.code).toBe('PODIUM_ERR_RATE_LIMITED');
    expect(sixth.join.error?.message).toContain('lobby');
    // A moderator still gets in.
    expect((await join(meeting.id, 'Beratung', {}, podium.staffCookie)).join.data.snapshot.self.state).toBe('joined');
  });

  it('chat and hands reach every participant', async () => {
    const meeting = await createMeeting({ name: 'Schulung' });
    const first = await join(meeting.id, 'Anna');
    const second = await join(meeting.id, 'Ben');
    const sent = await first.signaling.request('chat', { text: '  Guten Morgen  ' });

    expect(sent.data).toMatchObject({ peerId: first.peerId, name: 'Anna', text: 'Guten Morgen' });

    const received = await waitFor('the chat message at the other participant', () =>
      second.signaling.messages.find((message) => message.type === 'chat'),
    );

    expect(received.data.text).toBe('Guten Morgen');
    expect((await first.signaling.request('chat', { text: '   ' })).error?.code).toBe('PODIUM_ERR_SIGNALING_INVALID');

    const late = await join(meeting.id, 'Clara');

    expect(late.join.data.chat.map((message: { text: string }) => message.text)).toEqual(['Guten Morgen']);

    await second.signaling.request('setHand', { raised: true });
    await waitFor('the raised hand at Anna', () =>
      lastSnapshot(first.signaling)?.participants.find((participant: { name: string }) => participant.name === 'Ben')?.handRaised || undefined,
    );

    for (let index = 0; index < 10; index++) await first.signaling.request('chat', { text: `Nachricht ${index}` });
    expect((await first.signaling.request('chat', { text: 'zu viel' })).error?.code).toBe('PODIUM_ERR_RATE_LIMITED');
  });

  it('moderation, removal and lock', async () => {
    const meeting = await createMeeting({ name: 'Verein' });
    const moderatorKey = new URL(meeting.moderatorLink, podium.baseUrl).searchParams.get('moderator')!;
    const chair = await join(meeting.id, 'Vorsitz', { moderatorKey });
    const member = await connect();
    const memberKey = newKey();
    const joined = await member.request('join', { meetingId: meeting.id, name: 'Mitglied', participantKey: memberKey });
    const memberId = joined.data.snapshot.self.peerId;
    const guest = await join(meeting.id, 'Gast');

    expect((await guest.signaling.request('removeParticipant', { peerId: memberId })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_MODERATOR');
    expect((await guest.signaling.request('setLocked', { locked: true })).error?.code).toBe('PODIUM_ERR_MEETING_NOT_MODERATOR');
    expect((await guest.signaling.request('endMeeting', {})).error?.code).toBe('PODIUM_ERR_MEETING_NOT_MODERATOR');
    expect((await chair.signaling.request('muteParticipant', { peerId: 'nobody' })).error?.code).toBe('PODIUM_ERR_MEETING_PEER_NOT_FOUND');
    expect((await chair.signaling.request('removeParticipant', { peerId: chair.peerId })).error?.code).toBe('PODIUM_ERR_MEETING_PEER_NOT_FOUND');

    const closed = closeCode(member);

    expect((await chair.signaling.request('removeParticipant', { peerId: memberId })).ok).toBe(true);
    expect(await closed).toBe(4001);
    expect(lastSnapshot(member).self.state).toBe('removed');

    const again = await connect();

    expect((await again.request('join', { meetingId: meeting.id, name: 'Mitglied', participantKey: memberKey })).error?.code).toBe(
      'PODIUM_ERR_MEETING_REMOVED',
    );
    expect((await chair.signaling.request('setLocked', { locked: true })).ok).toBe(true);
    expect((await podium.apiAs(undefined, 'GET', `/api/meetings/${meeting.id}/public`)).body.locked).toBe(true);
    expect((await join(meeting.id, 'Mitglied')).join.error?.code).toBe('PODIUM_ERR_MEETING_LOCKED');

    // The guest's own reconnect (same key) still gets in, and replaces the old connection.
    const guestKey = newKey();
    const returning = await connect();

    await chair.signaling.request('setLocked', { locked: false });
    await returning.request('join', { meetingId: meeting.id, name: 'Rückkehr', participantKey: guestKey });
    await chair.signaling.request('setLocked', { locked: true });

    const replaced = closeCode(returning);
    const reconnect = await connect();

    expect((await reconnect.request('join', { meetingId: meeting.id, name: 'Rückkehr', participantKey: guestKey })).data.snapshot.self.state).toBe('joined');
    expect(await replaced).toBe(4000);
    expect((await join(meeting.id, 'Zweite Vorsitzende', { moderatorKey })).join.ok).toBe(true);
  });

  it('a moderator ends the meeting for all', async () => {
    const meeting = await createMeeting({ name: 'Ausschuss' });
    const chair = await join(meeting.id, 'Vorsitz', {}, podium.staffCookie);
    const member = await join(meeting.id, 'Mitglied');
    const closed = closeCode(member.signaling);
    const chairClosed = closeCode(chair.signaling);

    expect((await chair.signaling.request('endMeeting', {})).ok).toBe(true);
    expect(await closed).toBe(4001);
    expect(await chairClosed).toBe(4001);
    expect(lastSnapshot(member.signaling).self.state).toBe('ended');
    expect((await join(meeting.id, 'Nachzügler')).join.error?.code).toBe('PODIUM_ERR_MEETING_ENDED');
    expect((await podium.api('GET', '/api/meetings')).body.find((entry: { id: string }) => entry.id === meeting.id).state).toBe('ended');
  });

  it('staff end, delete and expiry', async () => {
    const meeting = await createMeeting({ name: 'Kurz', expiresAt: new Date(Date.now() + 1500).toISOString() });
    const member = await join(meeting.id, 'Früh');

    expect(member.join.ok).toBe(true);
    await waitFor('the meeting expired', async () => {
      const late = await join(meeting.id, 'Spät');

      return late.join.error?.code === 'PODIUM_ERR_MEETING_ENDED' ? true : undefined;
    }, { timeoutMs: 10_000, intervalMs: 300 });
    expect((await podium.apiAs(undefined, 'GET', `/api/meetings/${meeting.id}/public`)).body.state).toBe('expired');

    const other = await createMeeting({ name: 'Löschen' });
    const inside = await join(other.id, 'Drin');
    const closed = closeCode(inside.signaling);

    expect((await podium.api('POST', `/api/meetings/${other.id}/end`)).body.state).toBe('ended');
    expect(await closed).toBe(4001);
    expect((await podium.api('DELETE', `/api/meetings/${other.id}`)).status).toBe(204);
    expect((await podium.api('POST', `/api/meetings/${other.id}/end`)).body.code).toBe('PODIUM_ERR_MEETING_NOT_FOUND');
  });
});
