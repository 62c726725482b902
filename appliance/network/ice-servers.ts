import { createHmac, randomBytes } from 'node:crypto';
import type { PodiumConfig } from '../config/schema.js';
import type { IceServer } from '../signaling/protocol.js';

/**
 * Returns time-limited credentials for a TURN server that uses coturn's
 * use-auth-secret (the "TURN REST API" scheme): the username is the expiry as
 * Unix seconds, a colon and an id, and the credential is the Base64 of
 * HMAC-SHA1(shared secret, username). coturn accepts them until the expiry
 * without knowing the user; the shared secret itself never leaves Podium.
 */
export function turnCredentials(
  sharedSecret: string,
  ttlSeconds: number,
  id: string,
  nowMs = Date.now(),
): { username: string; credential: string } {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${id}`;
  const credential = createHmac('sha1', sharedSecret).update(username).digest('base64');

  return { username, credential };
}

/**
 * Returns the ICE servers for one browser transport: the configured TURN
 * URLs with fresh credentials, or none when turn.urls is empty.
 */
export function iceServersFor(turn: PodiumConfig['turn'], nowMs = Date.now()): IceServer[] {
  if (turn.urls.length === 0) return [];

  const id = randomBytes(6).toString('hex');

  return [{ urls: [...turn.urls], ...turnCredentials(turn.sharedSecret, turn.credentialTtlSeconds, id, nowMs) }];
}
