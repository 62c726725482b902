import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PodiumConfig } from '../config/schema.js';
import type { Supervisor } from '../process/supervisor.js';
import { fail, ok, warn, type CheckResult } from './check.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A certificate that expires within this many days fails the check. */
export const CERTIFICATE_MIN_DAYS = 14;
/** Below this share free the disk check fails; recordings stop at 2% too. */
const DISK_FAIL_SHARE = 0.02;
/** Below this share free the disk check warns, as the console does. */
const DISK_WARN_SHARE = 0.1;

/** Checks the HTTPS certificate: readable, valid now, not expiring within 14 days, matching its key. */
export async function checkCertificate(config: PodiumConfig, nowMs = Date.now()): Promise<CheckResult> {
  const name = 'TLS certificate';

  if (!config.https.enabled) return ok(name, 'HTTPS is off (https.enabled: false)');

  const selfSigned = !config.https.certFile;
  const certPath = selfSigned ? join(resolve(config.dataDir), 'tls', 'self-signed-cert.pem') : config.https.certFile;
  const keyPath = selfSigned ? join(resolve(config.dataDir), 'tls', 'self-signed-key.pem') : config.https.keyFile;
  let certificate: X509Certificate;

  try {
    certificate = new X509Certificate(await readFile(certPath));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;

    if (selfSigned && code === 'ENOENT') {
      return ok(name, 'no self-signed certificate yet; Podium makes one at its next start');
    }

    return fail(name, `cannot read ${certPath}: ${code ?? (error as Error).message}`, 'check https.certFile and the file permissions');
  }

  const validToMs = Date.parse(certificate.validTo);
  const days = Math.floor((validToMs - nowMs) / DAY_MS);
  const renew = selfSigned
    ? 'restart Podium (systemctl restart podium); it renews its self-signed certificate 30 days before expiry'
    : 'install a renewed certificate at https.certFile and https.keyFile, then systemctl restart podium';

  if (validToMs <= nowMs) return fail(name, `${certPath} expired on ${certificate.validTo}`, renew);
  if (Date.parse(certificate.validFrom) > nowMs) {
    return fail(name, `${certPath} is valid only from ${certificate.validFrom}`, 'check the clock of this machine, or the certificate');
  }
  if (days < CERTIFICATE_MIN_DAYS) return fail(name, `${certPath} expires in ${days} days (${certificate.validTo})`, renew);

  try {
    if (!certificate.checkPrivateKey(createPrivateKey(await readFile(keyPath)))) {
      return fail(name, `${keyPath} does not belong to ${certPath}`, 'set https.keyFile to the key of the certificate');
    }
  } catch (error) {
    return fail(name, `cannot read the key ${keyPath}: ${(error as Error).message}`, 'check https.keyFile and its permissions (readable by podium)');
  }

  return ok(name, `${certPath} valid until ${certificate.validTo} (${days} days)`);
}

/** Checks free space where the store, HLS files and recordings go. */
export async function checkDisk(config: PodiumConfig): Promise<CheckResult> {
  const dataDir = resolve(config.dataDir);
  const name = `Disk space at ${dataDir}`;
  let free: number;
  let size: number;
  let existing = dataDir;

  // Podium creates the data directory at its first start. Until then the
  // nearest existing parent directory is measured.
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    const stats = await statfs(existing);

    free = stats.bavail * stats.bsize;
    size = stats.blocks * stats.bsize;
  } catch (error) {
    return fail(name, `cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check dataDir and the permissions of its directories');
  }

  const share = size > 0 ? free / size : 0;
  const detail = `${formatBytes(free)} free of ${formatBytes(size)} (${Math.round(share * 100)}%)`;
  const fix = 'download and delete old recordings on the console, or lower privacy.recordingRetentionDays';

  if (share < DISK_FAIL_SHARE) return fail(name, detail, fix);
  if (share < DISK_WARN_SHARE) return warn(name, detail, fix);

  return ok(name, detail);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;

  return `${Math.round(bytes / 1e3)} kB`;
}

/** Checks that systemd reports the clock as synchronised (NTP); HLS and certificates depend on it. */
export async function checkClock(supervisor: Supervisor): Promise<CheckResult> {
  const name = 'Clock';

  try {
    const { stdout } = await supervisor.run({
      name: 'timedatectl',
      command: '/usr/bin/timedatectl',
      args: ['show', '--property=NTPSynchronized', '--value'],
      quiet: true,
    });

    if (stdout.trim() === 'yes') return ok(name, 'synchronised (timedatectl)');

    return fail(
      name,
      'not synchronised',
      'enable time synchronisation: apt-get install systemd-timesyncd; timedatectl set-ntp true (the firewall must allow NTP, UDP 123)',
    );
  } catch (error) {
    return warn(name, `cannot tell: ${(error as Error).message}`, 'check with timedatectl on the appliance (needs systemd)');
  }
}
