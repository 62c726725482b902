import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling } from '../helpers/signaling-client.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('questions from listeners', () => {
  let podium: TestPodium;
  let eventId: string;

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = (await podium.api('GET', '/api/events')).body.events[0].id;
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('are refused before the event is live', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const response = await listener.request('askQuestion', { text: 'Geht es schon los?' });

    expect(response.error?.code).toBe('PODIUM_ERR_NOT_LIVE');
    listener.close();
  });

  it('reach the staff console with the optional name', async () => {
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');

    const staffCookie = cookieOf((await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword })).headers);
    const staff = await TestSignaling.connect(podium.baseUrl, staffCookie);
    const listener = await TestSignaling.connect(podium.baseUrl);

    await staff.request('join', { page: 'console' });
    await listener.request('join', { page: 'watch', name: 'Anna' });

    const response = await listener.request('askQuestion', { text: '  Wann erscheint der zweite Band?  ' });
    const pushed = await waitFor('the question on the console', () =>
      staff.messages.find((message) => message.type === 'questionAdded'),
    );
    const { body } = await podium.api('GET', `/api/events/${eventId}/questions`);

    expect(response.ok).toBe(true);
    expect(pushed.data.text).toBe('Wann erscheint der zweite Band?');
    expect(pushed.data.author).toBe('Anna');
    expect(body.questions.map((question: { text: string }) => question.text)).toEqual(['Wann erscheint der zweite Band?']);
    staff.close();
    listener.close();
  });

  it('are limited to three a minute per connection', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const replies = [];

    for (let index = 0; index < 4; index++) replies.push(await listener.request('askQuestion', { text: `Frage ${index}` }));

    expect(replies.slice(0, 3).every((reply) => reply.ok)).toBe(true);
    expect(replies[3]?.error?.code).toBe('PODIUM_ERR_RATE_LIMITED');
    listener.close();
  });

  it('reject an empty or overlong question', async () => {
    const listener = await TestSignaling.connect(podium.baseUrl);
    const blank = await listener.request('askQuestion', { text: '   ' });
    const long = await listener.request('askQuestion', { text: 'x'.repeat(501) });

    expect(blank.error?.code).toBe('PODIUM_ERR_SIGNALING_INVALID');
    expect(long.error?.code).toBe('PODIUM_ERR_SIGNALING_INVALID');
    listener.close();
  });

  it('take one upvote per listener and none from the asker', async () => {
    const asker = await TestSignaling.connect(podium.baseUrl);
    const voter = await TestSignaling.connect(podium.baseUrl);

    await asker.request('join', { page: 'watch', listenerKey: 'asker-key-0000000001' });
    await voter.request('join', { page: 'watch', listenerKey: 'voter-key-0000000001' });

    const asked = await asker.request('askQuestion', { text: 'Gibt es eine Signierstunde?' });
    const questionId = asked.data.questionId as number;
    const first = await voter.request('voteQuestion', { questionId });
    const again = await voter.request('voteQuestion', { questionId });
    const own = await asker.request('voteQuestion', { questionId });
    const missing = await voter.request('voteQuestion', { questionId: 999_999 });

    expect(first.data.votes).toBe(1);
    expect(again.data.votes).toBe(1);
    expect(own.error?.code).toBe('PODIUM_ERR_FORBIDDEN');
    expect(missing.error?.code).toBe('PODIUM_ERR_QUESTION_NOT_FOUND');

    // The same listener key on a new connection (a reload) still counts as the same listener.
    const reloaded = await TestSignaling.connect(podium.baseUrl);

    await reloaded.request('join', { page: 'watch', listenerKey: 'voter-key-0000000001' });
    expect((await reloaded.request('voteQuestion', { questionId })).data.votes).toBe(1);

    const seen = await waitFor('the voted question in the reloaded page', () =>
      reloaded.messages
        .filter((message) => message.type === 'questions')
        .flatMap((message) => message.data.questions)
        .find((question: { id: number }) => question.id === questionId),
    );

    expect(seen.voted).toBe(true);
    expect(seen.own).toBe(false);
    for (const connection of [asker, voter, reloaded]) connection.close();
  });

  it('follow staff states and the venue screen', async () => {
    const asker = await TestSignaling.connect(podium.baseUrl);
    const other = await TestSignaling.connect(podium.baseUrl);

    await asker.request('join', { page: 'watch', listenerKey: 'asker-key-0000000002' });
    await other.request('join', { page: 'watch', listenerKey: 'other-key-0000000002' });

    const questionId = (await asker.request('askQuestion', { text: 'Eine unfreundliche Frage' })).data.questionId as number;
    const latest = (connection: TestSignaling) =>
      connection.messages.filter((message) => message.type === 'questions').at(-1)?.data.questions as
        | { id: number; state: string; own: boolean }[]
        | undefined;

    const staged = await podium.api('POST', `/api/events/${eventId}/stage-question`, { questionId });
    const withStage = await podium.state();

    expect(staged.status).toBe(200);
    expect(withStage.stageQuestion?.id).toBe(questionId);

    const answered = await podium.api('POST', `/api/questions/${questionId}/state`, { state: 'answered' });

    expect(answered.body.state).toBe('answered');
    await waitFor('the answered state at the asker', () =>
      latest(asker)?.find((question) => question.id === questionId && question.state === 'answered'),
    );

    await podium.api('POST', `/api/questions/${questionId}/state`, { state: 'hidden' });
    const ownHidden = await waitFor('the hidden state at the asker', () =>
      latest(asker)?.find((question) => question.id === questionId && question.state === 'hidden'),
    );

    await waitFor('the question gone from the other listener', () =>
      latest(other)?.every((question) => question.id !== questionId),
    );
    expect(ownHidden.own).toBe(true);
    expect((await podium.state()).stageQuestion).toBeNull();
    expect((await other.request('voteQuestion', { questionId })).error?.code).toBe('PODIUM_ERR_QUESTION_NOT_FOUND');
    asker.close();
    other.close();
  });

  it('are pinned to the stream time of the event', async () => {
    const { body } = await podium.api('GET', `/api/events/${eventId}/questions`);
    const liveSince = Date.parse((await podium.state()).event!.liveSince!);
    const latest = body.questions.at(-1);

    expect(latest.streamTimeMs).toBeGreaterThan(0);
    expect(Math.abs(liveSince + latest.streamTimeMs - Date.parse(latest.createdAt))).toBeLessThan(1000);
  });

  it('raise and lower hands on the console', async () => {
    const staffCookie = cookieOf((await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword })).headers);
    const staff = await TestSignaling.connect(podium.baseUrl, staffCookie);
    const listener = await TestSignaling.connect(podium.baseUrl);

    await staff.request('join', { page: 'console' });
    await listener.request('join', { page: 'watch', name: 'Ben' });
    expect((await listener.request('setHand', { raised: true })).data.raised).toBe(true);

    const raised = await waitFor('the raised hand on the console', () =>
      staff.messages.filter((message) => message.type === 'hands').at(-1)?.data.hands.find((hand: { name: string }) => hand.name === 'Ben'),
    );
    const lowered = await podium.api('POST', `/api/hands/${raised.peerId}/lower`);

    expect(lowered.body.lowered).toBe(true);
    await waitFor('the lowered hand at the listener', () =>
      listener.messages.find((message) => message.type === 'hand' && message.data.raised === false),
    );
    expect((await podium.api('GET', '/api/hands')).body.hands).toEqual([]);
    staff.close();
    listener.close();
  });

  it('are not listed to listeners', async () => {
    const result = await podium.apiAs(undefined, 'GET', `/api/events/${eventId}/questions`);
    const change = await podium.apiAs(undefined, 'POST', '/api/questions/1/state', { state: 'hidden' });

    expect(result.status).toBe(401);
    expect(change.status).toBe(401);
  });

  it('survive a restart of Podium', async () => {
    const before = (await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions;

    await podium.close({ keepData: true });
    podium = await startTestPodium({}, podium.dataDir);

    const after = (await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions;

    expect(before.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
  });

  it('are deleted when the event ends', async () => {
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');

    const listener = await TestSignaling.connect(podium.baseUrl);

    await listener.request('join', { page: 'watch' });
    await waitFor('the questions kept over the restart at the listener', () =>
      listener.messages.find((message) => message.type === 'questions' && message.data.questions.length > 0),
    );
    expect((await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions.length).toBeGreaterThan(0);
    await podium.api('POST', `/api/events/${eventId}/stop`);
    expect((await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions).toEqual([]);
    listener.close();
  });
});
