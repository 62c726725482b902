import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InviteRole } from './roles.js';

/** The claims of an invite token. The store keeps the invite itself, so that it can be revoked. */
export type InviteClaims = {
  inviteId: string;
  role: InviteRole;
  eventId: string;
  /** Expiry, milliseconds since the epoch. */
  expiresAt: number;
};

function sign(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** Builds "<payload>.<HMAC-SHA256>", both base64url. */
export function createInviteToken(claims: InviteClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, ...claims })).toString('base64url');

  return `${payload}.${sign(payload, key)}`;
}

/**
 * Returns the claims of a token whose signature is valid, or a reason why it
 * is not. Expiry and revocation are the caller's checks.
 */
export function readInviteToken(token: string, key: Buffer): { claims: InviteClaims } | { invalid: string } {
  const [payload, signature, extra] = token.split('.');

  if (!payload || !signature || extra !== undefined) return { invalid: 'not an invite token' };

  const expected = Buffer.from(sign(payload, key));
  const received = Buffer.from(signature);

  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { invalid: 'the signature does not match' };
  }

  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as InviteClaims & { v: number };

    if (claims.v !== 1 || typeof claims.inviteId !== 'string' || typeof claims.expiresAt !== 'number') {
      return { invalid: 'unknown token version' };
    }

    return { claims: { inviteId: claims.inviteId, role: claims.role, eventId: claims.eventId, expiresAt: claims.expiresAt } };
  } catch {
    return { invalid: 'the payload is not JSON' };
  }
}
