import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { checkCertificate } from './system-checks.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('checkCertificate', () => {
  let dir: string;
  let certFile: string;
  let keyFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podium-cert-check-'));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-subj', '/CN=podium', '-days', '30',
    ], { stdio: 'ignore' });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = () => parseConfig({ https: { certFile, keyFile } });

  it('passes a certificate valid for 30 days', async () => {
    const result = await checkCertificate(config());

    expect(result.status).toBe('ok');
  });

  it('fails 14 days before expiry', async () => {
    const result = await checkCertificate(config(), Date.now() + 20 * DAY_MS);

    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(/expires in (9|10) days/);
    expect(result.fix).toContain('install a renewed certificate');
  });

  it('fails a key of another certificate', async () => {
    const otherKey = join(dir, 'other-key.pem');

    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKey]);

    const result = await checkCertificate(parseConfig({ https: { certFile, keyFile: otherKey } }));

    expect(result.status).toBe('fail');
    expect(result.detail).toContain('does not belong to');
  });
});
