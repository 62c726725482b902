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

  it('are not listed to listeners', async () => {
    const result = await podium.apiAs(undefined, 'GET', `/api/events/${eventId}/questions`);

    expect(result.status).toBe(401);
  });

  it('are deleted when the event ends', async () => {
    expect((await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions.length).toBeGreaterThan(0);
    await podium.api('POST', `/api/events/${eventId}/stop`);
    expect((await podium.api('GET', `/api/events/${eventId}/questions`)).body.questions).toEqual([]);
  });
});
