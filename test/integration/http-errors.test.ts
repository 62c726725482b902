import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('HTTP API errors', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  async function post(path: string, body: string): Promise<{ status: number; body: any }> {
    const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });
    const response = await fetch(`${podium.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookieOf(login.headers)! },
      body,
    });

    return { status: response.status, body: await response.json() };
  }

  it('malformed JSON body is a 400', async () => {
    const result = await post('/api/events', '{"title":');

    expect(result.status).toBe(400);
    expect(result.body.code).toBe('PODIUM_ERR_INVALID_REQUEST');
  });

  it('empty JSON body is a 400', async () => {
    const result = await post('/api/events', '');

    expect(result.status).toBe(400);
    expect(result.body.code).toBe('PODIUM_ERR_INVALID_REQUEST');
  });

  it('missing title names the field', async () => {
    const result = await post('/api/events', JSON.stringify({ startsAt: '2026-12-24T18:00:00Z' }));

    expect(result.status).toBe(400);
    expect(result.body.message).toContain('title');
  });

  it('unknown event id is a 404', async () => {
    const result = await podium.api('POST', '/api/events/no-such-event/start');

    expect(result.status).toBe(404);
    expect(result.body.code).toBe('PODIUM_ERR_EVENT_NOT_FOUND');
    expect(result.body.message).toContain('no-such-event');
  });

  it('unknown route is a 404 with a code', async () => {
    const result = await podium.api('GET', '/api/nothing-here');

    expect(result.status).toBe(404);
    expect(result.body.code).toBe('PODIUM_ERR_ROUTE_NOT_FOUND');
  });

  it('stop of a ready event is a 409', async () => {
    const { body } = await podium.api('GET', '/api/events');
    const result = await podium.api('POST', `/api/events/${body.events[0].id}/stop`);

    expect(result.status).toBe(409);
    expect(result.body.code).toBe('PODIUM_ERR_EVENT_NOT_RUNNING');
  });
});
