import { spawnSync } from 'node:child_process';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { statSync, readFileSync, existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { STAFF_PASSWORD_FILE } from '../../appliance/auth/access-control.js';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { httpsRequest, presentedFingerprint } from '../helpers/https-request.js';
import { cookieOf, startTestPodium, testConfigInput, type TestPodium } from '../helpers/test-podium.js';

describe('staff password and sessions', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium({ auth: { loginAttemptsPer15Minutes: 3 } });
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('first start writes a random password to a private file', () => {
    const file = join(podium.dataDir, STAFF_PASSWORD_FILE);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(podium.staffPassword).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it('stores only a scrypt hash of the password', () => {
    const stored = podium.podium.store.getSetting('staffPasswordHash');

    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain(podium.staffPassword);
  });

  it('shows the first password once to staff', async () => {
    const first = await podium.api('GET', '/api/system');
    const second = await podium.api('GET', '/api/system');

    expect(first.body.initialStaffPassword).toBe(podium.staffPassword);
    expect(second.body.initialStaffPassword).toBeNull();
  });

  it('staff routes need a login', async () => {
    for (const [method, path] of [
      ['GET', '/api/events'],
      ['POST', '/api/events'],
      ['GET', '/api/system'],
      ['POST', '/api/invites/x/revoke'],
    ] as const) {
      const result = await podium.apiAs(undefined, method, path, method === 'POST' ? {} : undefined);

      expect(result.status, `${method} ${path}`).toBe(401);
      expect(result.body.code, `${method} ${path}`).toBe('PODIUM_ERR_UNAUTHORIZED');
    }
  });

  it('login cookie is HttpOnly and SameSite=Strict', async () => {
    const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });
    const setCookie = login.headers.get('set-cookie') ?? '';

    expect(login.status).toBe(200);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure');
  });

  it('logout ends the session', async () => {
    const login = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });
    const cookie = cookieOf(login.headers);

    expect((await podium.apiAs(cookie, 'GET', '/api/events')).status).toBe(200);
    await podium.apiAs(cookie, 'POST', '/api/logout');
    expect((await podium.apiAs(cookie, 'GET', '/api/events')).status).toBe(401);
  });

  it('rate-limits parallel wrong passwords', async () => {
    const separate = await startTestPodium({ auth: { loginAttemptsPer15Minutes: 3 } });

    try {
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          separate.apiAs(undefined, 'POST', '/api/login', { password: `guess-${index}` }),
        ),
      );
      const statuses = attempts.map((attempt) => attempt.status);

      expect(statuses.filter((status) => status === 401)).toHaveLength(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(17);
      expect(attempts.find((attempt) => attempt.status === 429)?.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await separate.close();
    }
  });

  it('rate-limits repeated wrong passwords', async () => {
    const statuses: number[] = [];

    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await podium.apiAs(undefined, 'POST', '/api/login', { password: `wrong-${attempt}` })).status);
    }

    const correct = await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword });

    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(correct.status).toBe(429);
    expect(correct.body.code).toBe('PODIUM_ERR_RATE_LIMITED');
  });
});

describe('HTTPS', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('serves pages with the self-signed certificate', async () => {
    const httpsUrl = podium.podium.httpsUrl!;
    const page = await httpsRequest(`${httpsUrl}/watch`, podium.podium.tls!.cert);
    const { port } = new URL(httpsUrl);

    expect(page.status).toBe(200);
    expect(await presentedFingerprint('127.0.0.1', Number(port))).toBe(podium.podium.tls!.fingerprint256);
    expect(podium.podium.tls!.selfSigned).toBe(true);
  });

  it('console shows the certificate fingerprint', async () => {
    const system = await podium.api('GET', '/api/system');

    expect(system.body.tls.fingerprint256).toBe(podium.podium.tls!.fingerprint256);
    expect(system.body.httpsOrigin).toBe(podium.podium.httpsUrl);
  });

  it('login over HTTPS sets a Secure cookie', async () => {
    const login = await httpsRequest(`${podium.podium.httpsUrl}/api/login`, podium.podium.tls!.cert, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: podium.staffPassword }),
    });

    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toContain('Secure');
  });

  it('the console over HTTPS asks for a login even from loopback', async () => {
    const page = await httpsRequest(`${podium.podium.httpsUrl}/console`, podium.podium.tls!.cert);

    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fconsole');
  });
});

describe('a configured certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-cert-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is served instead of a self-signed one', async () => {
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const openssl = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
      '-subj', '/CN=podium.test', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
    ]);

    expect(openssl.status).toBe(0);

    const podium = await startTestPodium({ https: { certFile, keyFile } });

    try {
      const { port } = new URL(podium.podium.httpsUrl!);

      expect(podium.podium.tls!.selfSigned).toBe(false);
      expect(podium.podium.tls!.cert).toBe(readFileSync(certFile, 'utf8'));
      expect(await presentedFingerprint('127.0.0.1', Number(port))).toBe(podium.podium.tls!.fingerprint256);
      expect(existsSync(join(podium.dataDir, 'tls'))).toBe(false);
    } finally {
      await podium.close();
    }
  });
});

describe('a mismatched certificate and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-pair-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops the start naming https.keyFile', async () => {
    for (const name of ['a', 'b']) {
      const openssl = spawnSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
        '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}-key.pem`), '-out', join(dir, `${name}-cert.pem`),
      ]);

      expect(openssl.status).toBe(0);
    }

    const started = startTestPodium({ https: { certFile: join(dir, 'a-cert.pem'), keyFile: join(dir, 'b-key.pem') } });

    await expect(started).rejects.toThrow(/https\.keyFile does not belong to the certificate/);
  });
});

describe('kiosk', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();
  });

  afterAll(async () => {
    await podium?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${podium.baseUrl}${path}`, { headers, redirect: 'manual' });
  }

  it('console on loopback HTTP gets a staff session', async () => {
    const page = await get('/console');
    const cookie = cookieOf(page.headers);

    expect(page.status).toBe(200);
    expect(cookie).toBeDefined();
    expect((await podium.apiAs(cookie, 'GET', '/api/events')).status).toBe(200);
  });

  it('console behind a proxy gets no staff session', async () => {
    const page = await get('/console', { 'X-Forwarded-For': '192.0.2.7' });

    expect(page.status).toBe(302);
    expect(page.headers.get('set-cookie')).toBeNull();
  });

  it('console for a foreign host name gets no staff session', async () => {
    // fetch sets Host itself, so this request goes through node:http.
    const { port } = new URL(podium.baseUrl);
    const page = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: '/console', headers: { Host: 'evil.example:8080' } }, resolve).on('error', reject);
    });

    page.resume();
    expect(page.statusCode).toBe(302);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it.each(['X-Client-IP', 'True-Client-IP', 'Forwarded', 'Via'])('console with %s gets no staff session', async (header) => {
    const page = await get('/console', { [header]: '192.0.2.7' });

    expect(page.status).toBe(302);
  });

  it('watch on loopback gets no staff rights', async () => {
    const page = await get('/watch');
    const cookie = cookieOf(page.headers);

    expect(page.status).toBe(200);
    expect(cookie).toBeUndefined();
    expect((await podium.apiAs(cookie, 'GET', '/api/events')).status).toBe(401);
  });

  it('can be switched off', async () => {
    const strict = await startTestPodium({ auth: { kioskAutoLogin: false } });

    try {
      const page = await fetch(`${strict.baseUrl}/console`, { redirect: 'manual' });

      expect(page.status).toBe(302);
      expect(page.headers.get('set-cookie')).toBeNull();
    } finally {
      await strict.close();
    }
  });
});

describe('set-staff-password', () => {
  it('replaces the password and ends staff sessions', async () => {
    const podium = await startTestPodium();

    try {
      const configPath = join(podium.dataDir, 'podium.yaml');
      const oldCookie = cookieOf((await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword })).headers);

      writeFileSync(configPath, stringify(testConfigInput(podium.dataDir)));

      const result = spawnSync(
        process.execPath,
        [join(projectRoot(), 'dist', 'appliance', 'set-staff-password.js'), '--config', configPath],
        { input: 'a new long staff password\n', encoding: 'utf8', timeout: 30_000 },
      );

      expect(result.status).toBe(0);
      expect((await podium.apiAs(undefined, 'POST', '/api/login', { password: podium.staffPassword })).status).toBe(401);
      expect((await podium.apiAs(undefined, 'POST', '/api/login', { password: 'a new long staff password' })).status).toBe(200);
      expect((await podium.apiAs(oldCookie, 'GET', '/api/events')).status).toBe(401);
      expect(existsSync(join(podium.dataDir, STAFF_PASSWORD_FILE))).toBe(false);
    } finally {
      await podium.close();
    }
  });

  it('rejects a short password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-short-'));
    const configPath = join(dir, 'podium.yaml');

    writeFileSync(configPath, stringify({ dataDir: dir }));

    const result = spawnSync(
      process.execPath,
      [join(projectRoot(), 'dist', 'appliance', 'set-staff-password.js'), '--config', configPath],
      { input: 'short\n', encoding: 'utf8', timeout: 30_000 },
    );

    rmSync(dir, { recursive: true, force: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('use at least 10');
  });
});
