import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RestreamStatus } from '../../appliance/signaling/protocol.js';
import { launchChromium, openConsole } from '../helpers/browser.js';
import { RtmpTestServer } from '../helpers/rtmp-server.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Writes a self-signed certificate and key valid for `days` from now into
 * dir; -1 makes one that expired a day ago (OpenSSL 3.0 x509 accepts -1).
 */
function writeCertificate(dir: string, days: number): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const request = join(dir, 'cert.csr');

  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=podium.test', '-keyout', keyFile, '-out', request], {
    stdio: 'ignore',
  });
  execFileSync('openssl', ['x509', '-req', '-in', request, '-signkey', keyFile, '-days', String(days), '-out', certFile], {
    stdio: 'ignore',
  });

  return { certFile, keyFile };
}

describe('console alarms while the event goes on, in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-alarms-'));
  const certDir = mkdtempSync(join(tmpdir(), 'podium-alarms-cert-'));
  const recordingsDir = join(dataDir, 'recordings');
  let server: RtmpTestServer;
  let podium: TestPodium;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(recordingsDir);
    // A small file system of its own, as a nearly full disk (needs root, as CI runs).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1536k', 'tmpfs', recordingsDir]);
    server = await RtmpTestServer.start();
    podium = await startTestPodium({ https: writeCertificate(certDir, -1) }, dataDir);

    const eventId = (await podium.api('GET', '/api/events')).body.events[0].id as string;

    await podium.api('POST', `/api/events/${eventId}/restreams`, { name: 'Owncast', url: server.url, streamKey: 'alarm-test' });
    browser = await launchChromium();
    page = await openConsole(browser, podium.baseUrl);
    await podium.goLive();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close({ keepData: true });
    await server?.close();
    execFileSync('umount', [recordingsDir]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(certDir, { recursive: true, force: true });
  });

  it('shows the expired certificate', async () => {
    const alarm = page.getByTestId('certificate-alarm');

    await alarm.waitFor();

    expect(await alarm.getAttribute('data-kind')).toBe('expired');
    expect(await alarm.textContent()).toContain('HTTPS-Zertifikat am');
    expect(await alarm.textContent()).toContain('abgelaufen');
    expect(await alarm.textContent()).toContain('https.certFile');
  });

  it('shows a restream target that went down', async () => {
    await page.locator('[data-testid="restream-state"][data-state="live"]').waitFor({ timeout: 45_000 });

    const states: RestreamStatus[] = [];

    podium.podium.controller.on('change', (snapshot) => states.push(...(snapshot.restreams ?? [])));
    await server.stopNginx();

    const alarm = page.getByTestId('restream-alarm');

    await alarm.waitFor({ timeout: 45_000 });

    expect(await alarm.textContent()).toContain('Weitersenden an „Owncast“ gestört');

    // The retries keep the reason, so the alarm stays while Podium reconnects.
    const retry = await waitFor('a retry after the failure', () =>
      states.find((status, index) => status.state === 'connecting' && states.slice(0, index).some((earlier) => earlier.state === 'failed')),
    );

    expect(retry.reason).not.toBeNull();
    expect((await podium.state()).event?.state).toBe('live');
    expect((await podium.state()).outputs?.hls).toBe('live');
  });

  it('shows the recording stopped on a full disk', async () => {
    await page.getByTestId('recording-start-stop').click();

    const alarm = page.getByTestId('recording-alarm');

    await alarm.waitFor({ timeout: 60_000 });

    expect(await alarm.textContent()).toContain('Der Speicher ist voll');
    expect(await page.getByTestId('event-state').textContent()).toContain('Live');
    expect((await podium.state()).outputs?.hls).toBe('live');
  });

  it('shows every alarm in English too', async () => {
    await page.locator('podium-language-switch select').selectOption('en');

    expect(await page.getByTestId('certificate-alarm').textContent()).toContain('HTTPS certificate expired on');
    expect(await page.getByTestId('recording-alarm').textContent()).toContain('the disk is full');
    await page.getByTestId('restream-alarm').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('restream-alarm').textContent()).toContain('Restream to “Owncast” failed');
  });
});

describe('certificate that expires soon, on the console', () => {
  const certDir = mkdtempSync(join(tmpdir(), 'podium-expiring-cert-'));
  let podium: TestPodium;
  let browser: Browser;

  beforeAll(async () => {
    podium = await startTestPodium({ https: writeCertificate(certDir, 3) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('warns with the expiry date', async () => {
    const page = await openConsole(browser, podium.baseUrl);
    const alarm = page.getByTestId('certificate-alarm');

    await alarm.waitFor();

    expect(await alarm.getAttribute('data-kind')).toBe('expiring');
    expect(await alarm.textContent()).toContain('Das HTTPS-Zertifikat läuft am');
  });
});
