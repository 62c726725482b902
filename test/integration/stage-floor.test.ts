import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling, type SignalingMessage } from '../helpers/signaling-client.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/** RTP parameters of the shape a browser sends. No media flows, but the producer exists. */
const OPUS_PARAMETERS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 22222222 }],
};

const H264_PARAMETERS = {
  codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } }],
  encodings: [{ ssrc: 33333333 }],
};

/** Returns the last "stage" notification the page got, once it has the given state. */
function stageNote(page: TestSignaling, state: string | null): Promise<SignalingMessage> {
  return waitFor(`a stage notification with state ${state}`, () => {
    const notes = page.messages.filter((message) => message.type === 'stage');
    const last = notes.at(-1);

    return last && last.data.state === state ? last : undefined;
  });
}

describe('taking the floor', () => {
  let podium: TestPodium;
  let listener: TestSignaling;
  let peerId: string;
  /** The guest's consumer of the hall sound while on stage. */
  let returnConsumerId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    await podium.goLive();
    // With the program on air, listeners watch it, and the hall microphone is a guest's return only.
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    listener = await TestSignaling.connect(podium.baseUrl);
    peerId = (await listener.request('join', { page: 'watch', name: 'Bert' })).data.peerId;
    await listener.request('createRecvTransport');
  });

  afterAll(async () => {
    listener?.close();
    await podium?.close();
  });

  it('invite rejects a lowered hand', async () => {
    const invited = await podium.api('POST', '/api/stage/invite', { peerId });

    expect(invited.status).toBe(404);
    expect(invited.body.code).toBe('PODIUM_ERR_HAND_NOT_RAISED');
    expect(invited.body.message).toContain(peerId);
  });

  it('invited listener cannot publish yet', async () => {
    await listener.request('setHand', { raised: true });
    await waitFor('the raised hand', async () => (await podium.api('GET', '/api/hands')).body.hands.length === 1 || undefined);

    const invited = await podium.api('POST', '/api/stage/invite', { peerId });

    expect(invited.status).toBe(200);
    expect(invited.body.guest).toMatchObject({ peerId, name: 'Bert', state: 'invited', muted: false });
    await stageNote(listener, 'invited');

    const send = await listener.request('createSendTransport');

    expect(send.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(podium.podium.controller.room?.sources()).not.toContain('listener-on-stage');
  });

  it('second invitation is rejected', async () => {
    const other = await TestSignaling.connect(podium.baseUrl);
    const otherId = (await other.request('join', { page: 'watch' })).data.peerId;

    await other.request('setHand', { raised: true });
    await waitFor('both hands', async () => (await podium.api('GET', '/api/hands')).body.hands.length === 2 || undefined);

    const invited = await podium.api('POST', '/api/stage/invite', { peerId: otherId });

    expect(invited.status).toBe(409);
    expect(invited.body.code).toBe('PODIUM_ERR_STAGE_OCCUPIED');
    expect(invited.body.message).toContain('"Bert"');
    other.close();
  });

  it('consent allows the stage microphone', async () => {
    const answer = await listener.request('answerStageInvite', { accept: true });

    expect(answer.data).toEqual({ onStage: true });
    await stageNote(listener, 'on-stage');
    expect((await podium.api('GET', '/api/hands')).body.hands.map((hand: { peerId: string }) => hand.peerId)).not.toContain(peerId);

    expect((await listener.request('createSendTransport')).ok).toBe(true);

    const mic = await listener.request('produce', { kind: 'audio', rtpParameters: OPUS_PARAMETERS, source: 'listener-on-stage' });
    const venue = await listener.request('produce', { kind: 'audio', rtpParameters: OPUS_PARAMETERS, source: 'venue-mic' });

    const cameraAsMic = await listener.request('produce', { kind: 'video', rtpParameters: H264_PARAMETERS, source: 'listener-on-stage' });

    expect(mic.ok).toBe(true);
    expect(venue.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(cameraAsMic.error?.code).toBe('PODIUM_ERR_SOURCE_KIND');
    expect(cameraAsMic.error?.message).toBe('the source "listener-on-stage" is audio, not video; publish each track under the label of its kind');
    expect(podium.podium.controller.room?.sources()).toContain('listener-on-stage');
    expect((await podium.api('GET', '/api/stage')).body.guest.state).toBe('on-stage');
  });

  it('guest return excludes own voice', async () => {
    const capabilities = (await listener.request('getRouterRtpCapabilities')).data.rtpCapabilities;
    const consumed = await listener.request('consume', {
      rtpCapabilities: capabilities,
      sources: ['venue-mic', 'listener-on-stage', 'remote-speaker-mic'],
    });
    const sources = consumed.data.consumers.map((consumer: { source: string }) => consumer.source);

    returnConsumerId = consumed.data.consumers.find((consumer: { source: string }) => consumer.source === 'venue-mic').id;
    expect(sources).toContain('venue-mic');
    expect(sources).not.toContain('listener-on-stage');
  });

  it('guest cannot raise a hand again', async () => {
    expect((await listener.request('setHand', { raised: true })).data).toEqual({ raised: false });
    expect((await podium.api('GET', '/api/hands')).body.hands).toEqual([]);
  });

  it('mute pauses the guest producer', async () => {
    const muted = await podium.api('POST', '/api/stage/mute', { muted: true });

    expect(muted.body.guest.muted).toBe(true);
    await waitFor('the paused producer', () => podium.podium.controller.room?.isPaused('listener-on-stage') || undefined);
    expect(listener.messages.filter((message) => message.type === 'stage').at(-1)?.data).toEqual({ state: 'on-stage', muted: true });

    await podium.api('POST', '/api/stage/mute', { muted: false });
    await waitFor('the resumed producer', () => podium.podium.controller.room?.isPaused('listener-on-stage') === false || undefined);
  });

  it('removal ends the guest microphone', async () => {
    const removed = await podium.api('POST', '/api/stage/remove');

    expect(removed.body).toEqual({ removed: true });
    await stageNote(listener, null);
    await waitFor('the stage microphone gone', () => !podium.podium.controller.room?.hasSource('listener-on-stage') || undefined);

    const again = await listener.request('produce', { kind: 'audio', rtpParameters: OPUS_PARAMETERS, source: 'listener-on-stage' });

    expect(again.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect((await podium.api('POST', '/api/stage/mute', { muted: true })).body.code).toBe('PODIUM_ERR_STAGE_EMPTY');
  });

  it('removal ends the guest return', async () => {
    // The hall sound the guest consumed on stage is gone with their turn.
    const resumed = await listener.request('resumeConsumer', { consumerId: returnConsumerId });

    expect(resumed.error?.code).toBe('PODIUM_ERR_CONSUMER_NOT_FOUND');

    const capabilities = (await listener.request('getRouterRtpCapabilities')).data.rtpCapabilities;
    const consumed = await listener.request('consume', { rtpCapabilities: capabilities, sources: ['venue-mic'] });

    expect(consumed.data.consumers).toEqual([]);
  });

  it('declined invitation frees the floor', async () => {
    await listener.request('setHand', { raised: true });
    await waitFor('the raised hand', async () => (await podium.api('GET', '/api/hands')).body.hands.length > 0 || undefined);
    await podium.api('POST', '/api/stage/invite', { peerId });
    await stageNote(listener, 'invited');

    expect((await listener.request('answerStageInvite', { accept: false })).data).toEqual({ onStage: false });
    await stageNote(listener, null);
    expect((await podium.api('GET', '/api/stage')).body.guest).toBeNull();
    expect((await listener.request('answerStageInvite', { accept: true })).error?.code).toBe('PODIUM_ERR_NOT_INVITED');
  });

  it('closed guest page leaves the stage', async () => {
    const guest = await TestSignaling.connect(podium.baseUrl);
    const guestId = (await guest.request('join', { page: 'watch' })).data.peerId;

    await guest.request('setHand', { raised: true });
    await waitFor('the raised hand', async () =>
      (await podium.api('GET', '/api/hands')).body.hands.some((hand: { peerId: string }) => hand.peerId === guestId) || undefined,
    );
    await podium.api('POST', '/api/stage/invite', { peerId: guestId });
    await guest.request('answerStageInvite', { accept: true });
    guest.close();
    await waitFor('an empty floor', async () => (await podium.api('GET', '/api/stage')).body.guest === null || undefined);
  });

  it('venue screen rejects listeners', async () => {
    const joined = await listener.request('join', { page: 'stage' });

    expect(joined.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(joined.error?.message).toBe('a listener may not open the venue screen');
  });
});
