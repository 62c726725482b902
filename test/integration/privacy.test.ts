import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { deleteOlderThan } from '../../appliance/privacy/retention.js';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { Supervisor } from '../../appliance/process/supervisor.js';
import { TestSignaling } from '../helpers/signaling-client.js';
import { cookieOf, startTestPodium, type TestPodium } from '../helpers/test-podium.js';

describe('secrets during a run that uses them', () => {
  const logLines: string[] = [];
  const responses: string[] = [];
  let podium: TestPodium;
  let inviteToken: string;

  beforeAll(async () => {
    podium = await startTestPodium({}, undefined, logLines);

    const record = async (method: 'GET' | 'POST', path: string, body?: unknown, cookie?: string) => {
      const result = cookie === undefined ? await podium.api(method, path, body) : await podium.apiAs(cookie, method, path, body);

      responses.push(JSON.stringify(result.body), JSON.stringify([...result.headers.entries()]));

      return result;
    };
    const { body } = await record('GET', '/api/events');
    const eventId = body.events[0].id;
    const invite = await record('POST', `/api/events/${eventId}/invites`, { role: 'speaker', label: 'Gast' });

    inviteToken = new URL(invite.body.url).searchParams.get('invite')!;
    await record('POST', '/api/login', { password: 'wrong password' }, '');
    await record('POST', '/api/login', { password: podium.staffPassword }, '');
    await record('GET', `/api/events/${eventId}/invites`);
    await record('GET', '/api/state');
    await record('GET', '/api/me');
    await fetch(`${podium.baseUrl}/join?invite=${inviteToken}`, { redirect: 'manual' });

    const client = await TestSignaling.connect(podium.baseUrl);

    responses.push(JSON.stringify(await client.request('join', { page: 'watch' })));
    client.close();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('the staff password never appears in logs', () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.filter((line) => line.includes(podium.staffPassword))).toEqual([]);
  });

  it('the staff password never appears in API responses', () => {
    // /api/system shows the first password once on purpose; it is not called here.
    expect(responses.filter((text) => text.includes(podium.staffPassword))).toEqual([]);
  });

  it('the invite signing key never leaves the store', () => {
    const key = podium.podium.store.getSetting('inviteSigningKey')!;

    expect(key.length).toBeGreaterThan(20);
    expect(logLines.filter((line) => line.includes(key))).toEqual([]);
    expect(responses.filter((text) => text.includes(key))).toEqual([]);
  });

  it('the invite token never appears in logs', () => {
    expect(logLines.filter((line) => line.includes(inviteToken))).toEqual([]);
  });
});

describe('supervisor with a stream key on the command line', () => {
  it('logs neither the key nor the password', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor(createLogger('debug', { write: (line: string) => void lines.push(line) }));
    const key = 'sk-live-9f8e7d6c5b4a';
    const password = 'hunter2-restream';
    // Port 9 on loopback refuses the connection, so ffmpeg fails at once and quotes the URL.
    const exit = await supervisor
      .run({
        name: 'restream',
        command: resolveFfmpegPath(),
        args: [
          '-hide_banner', '-f', 'lavfi', '-i', 'anullsrc', '-t', '1', '-c:a', 'aac',
          '-f', 'flv', `rtmp://podium:${password}@127.0.0.1:9/live/${key}`,
        ],
      })
      .catch((error: Error) => error);

    expect(exit).toBeInstanceOf(Error);
    expect(lines.some((line) => line.includes('process started'))).toBe(true);
    expect(lines.some((line) => line.includes('died unexpectedly'))).toBe(true);
    expect(lines.filter((line) => line.includes(key) || line.includes(password))).toEqual([]);
    expect(String(exit)).not.toContain(key);
  });
});

describe('texts of an ended event', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  async function runEvent(keepTexts: boolean): Promise<string> {
    const { body } = await podium.api('POST', '/api/events', { title: 'Lesung', startsAt: '2027-03-01T18:00:00Z', keepTexts });

    podium.podium.store.addEventText(body.id, 'question', 'Anna', 'Wann erscheint das nächste Buch?');
    podium.podium.store.addEventText(body.id, 'name', null, 'Anna');
    await podium.api('POST', `/api/events/${body.id}/start`);
    await podium.waitForState('live');
    await podium.api('POST', `/api/events/${body.id}/stop`);

    return body.id;
  }

  it('are deleted when the event ends', async () => {
    const eventId = await runEvent(false);

    expect(podium.podium.store.countEventTexts(eventId)).toBe(0);
  });

  it('are kept when staff chose so', async () => {
    const eventId = await runEvent(true);

    expect(podium.podium.store.countEventTexts(eventId)).toBe(2);
  });
});

describe('recording retention', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-recordings-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes recordings older than the configured days', () => {
    const now = Date.now();
    const old = join(dir, 'lesung-2026-10-01');
    const recent = join(dir, 'lesung-2026-11-30');

    mkdirSync(old);
    writeFileSync(join(old, 'part-1.mp4'), 'x');
    writeFileSync(recent, 'x');
    utimesSync(old, new Date(now - 31 * 86400_000), new Date(now - 31 * 86400_000));
    utimesSync(recent, new Date(now - 29 * 86400_000), new Date(now - 29 * 86400_000));

    expect(deleteOlderThan(dir, 30, now)).toEqual(['lesung-2026-10-01']);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });
});

describe('privacy notice and headers', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({
      privacy: { operator: 'Stadtbücherei <Musterstadt>', contact: 'datenschutz@example.org', recordingRetentionDays: 14 },
    });
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('states the configured operator and retention', async () => {
    const page = await (await fetch(`${podium.baseUrl}/datenschutz`)).text();
    const english = await (await fetch(`${podium.baseUrl}/datenschutz?lang=en`)).text();

    expect(page).toContain('Stadtbücherei &#60;Musterstadt&#62;');
    expect(page).not.toContain('<Musterstadt>');
    expect(page).toContain('nach 14 Tagen gelöscht');
    expect(page).toContain('<html lang="de">');
    expect(english).toContain('deleted after 14 days');
    expect(english).toContain('<html lang="en">');
  });

  it('every page sends a same-origin Content-Security-Policy', async () => {
    for (const path of ['/watch', '/login', '/datenschutz', '/console', '/api/state', '/assets/watch.js']) {
      const response = await fetch(`${podium.baseUrl}${path}`, { redirect: 'manual' });
      const policy = response.headers.get('content-security-policy') ?? '';

      expect(policy, path).toContain("default-src 'self'");
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).not.toMatch(/https?:\/\//);
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('sets no cookie for listeners', async () => {
    for (const path of ['/watch', '/datenschutz', '/api/state']) {
      const response = await fetch(`${podium.baseUrl}${path}`);

      expect(cookieOf(response.headers), path).toBeUndefined();
    }
  });
});
