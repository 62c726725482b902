import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { PodiumConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';

/** A certificate and key for the HTTPS server, with what the console shows of it. */
export type TlsMaterial = {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers show it. */
  fingerprint256: string;
  selfSigned: boolean;
  /** End of validity, ISO 8601. */
  validTo: string;
};

/** A self-signed certificate is replaced this long before it expires. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const SELF_SIGNED_DAYS = 825;

/** Checks that the PEM texts are a certificate and its key; errors name the configuration keys. */
function inspect(cert: string, key: string, selfSigned: boolean, source: string): TlsMaterial {
  let x509: X509Certificate;
  let privateKey: ReturnType<typeof createPrivateKey>;

  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`https.certFile ${source} is not a PEM certificate (${(error as Error).message})`);
  }
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`https.keyFile is not a PEM private key (${(error as Error).message}); give the key of ${source}`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new Error(`https.keyFile does not belong to the certificate in https.certFile ${source}; give its key`);
  }

  return { cert, key, fingerprint256: x509.fingerprint256, selfSigned, validTo: new Date(x509.validTo).toISOString() };
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${key} "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        'check the path and that the Podium user may read it',
    );
  }
}

/** Names and addresses a self-signed certificate covers: localhost, this host and its IP addresses. */
function subjectAltNames(): string {
  const names = new Set(['DNS:localhost', `DNS:${hostname()}`, 'IP:127.0.0.1', 'IP:::1']);

  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.internal && address.family === 'IPv4') names.add(`IP:${address.address}`);
    }
  }

  return [...names].join(',');
}

/**
 * Returns the HTTPS certificate: the configured one (https.certFile and
 * https.keyFile), else a self-signed one kept in <dataDir>/tls, made with
 * openssl at the first start and again when it nears expiry.
 */
export async function loadCertificate(
  config: PodiumConfig['https'],
  dataDir: string,
  supervisor: Supervisor,
  logger: Logger,
): Promise<TlsMaterial> {
  if (config.certFile || config.keyFile) {
    if (!config.certFile || !config.keyFile) {
      throw new Error('set both https.certFile and https.keyFile, or neither for a self-signed certificate');
    }

    return inspect(readPem(config.certFile, 'https.certFile'), readPem(config.keyFile, 'https.keyFile'), false, config.certFile);
  }

  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'self-signed-cert.pem');
  const keyPath = join(dir, 'self-signed-key.pem');

  try {
    const existing = inspect(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'), true, certPath);

    if (Date.parse(existing.validTo) - Date.now() > RENEW_BEFORE_MS) return existing;
    logger.info({ validTo: existing.validTo }, 'self-signed certificate expires soon, replacing it');
  } catch {
    // No usable certificate yet: make one.
  }

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await supervisor.run({
    name: 'openssl',
    command: 'openssl',
    args: [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', String(SELF_SIGNED_DAYS), '-subj', `/CN=Podium ${hostname()}`,
      '-addext', `subjectAltName=${subjectAltNames()}`,
      '-keyout', keyPath, '-out', certPath,
    ],
  });

  chmodSync(keyPath, 0o600);

  const created = inspect(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'), true, certPath);

  logger.info({ fingerprint256: created.fingerprint256, validTo: created.validTo }, 'self-signed certificate created');

  return created;
}
