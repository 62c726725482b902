import { createHmac, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PodiumConfig } from '../config/schema.js';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { AuthStore, InviteRecord, SessionKind } from '../store/auth-store.js';
import type { Store } from '../store/store.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { createInviteToken, readInviteToken, type InviteClaims } from './invite-tokens.js';
import { hashPassword, randomPassword, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limiter.js';
import { ANONYMOUS_LISTENER, type InviteRole, type Principal, type Role } from './roles.js';

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;
/** Access code guesses allowed per address in 15 minutes. */
const ACCESS_CODE_ATTEMPTS = 20;
export const STAFF_PASSWORD_FILE = 'staff-password.txt';

/** Headers a reverse proxy adds; a request with any of them did not come from the kiosk itself. */
const PROXY_HEADERS = [
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-original-forwarded-for',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'forwarded',
  'via',
];

/** Host headers of a page the kiosk opened itself: a loopback name with any port. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

export type NewSession = { token: string; maxAgeSeconds: number };

export type CreatedInvite = { invite: InviteRecord; token: string };

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address ?? '');
}

/**
 * Returns true when a request comes from this machine itself: a loopback
 * address, a loopback host name (so that a page reached by DNS rebinding does
 * not qualify) and no proxy headers.
 */
export function isLocalMachineRequest(request: { remoteAddress: string | undefined; headers: Record<string, unknown> }): boolean {
  const host = request.headers.host;

  return (
    isLoopback(request.remoteAddress) &&
    typeof host === 'string' &&
    LOOPBACK_HOST.test(host) &&
    PROXY_HEADERS.every((name) => request.headers[name] === undefined)
  );
}

/** Compares two strings in constant time for equal lengths. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);

  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Decides who a request is and what it may do: staff logins with a slow
 * password hash and a rate limit, the kiosk's automatic staff session,
 * signed invite links for one event, and listener access codes.
 */
export type AccessControlEvents = {
  /** Sessions were ended (logout, revoked invite, new staff password); open connections must re-check. */
  sessionsended: [];
};

export class AccessControl extends EventEmitter<AccessControlEvents> {
  readonly #auth: AuthStore;
  readonly #events: Store;
  readonly #config: PodiumConfig;
  readonly #logger: Logger;
  readonly #loginFailures: RateLimiter;
  readonly #codeFailures = new RateLimiter(ACCESS_CODE_ATTEMPTS, FIFTEEN_MINUTES_MS);
  #initialPassword: string | undefined;

  constructor(auth: AuthStore, events: Store, config: PodiumConfig, logger: Logger) {
    super();
    this.#auth = auth;
    this.#events = events;
    this.#config = config;
    this.#logger = logger.child({ module: 'access' });
    this.#loginFailures = new RateLimiter(config.auth.loginAttemptsPer15Minutes, FIFTEEN_MINUTES_MS);
    auth.deleteExpiredSessions();
  }

  /**
   * Makes sure a staff password exists. On the first start it creates a
   * random one, stores only its hash, writes the password to a file that
   * only the Podium user can read, and keeps it for one showing on the
   * kiosk console.
   */
  async ensureStaffPassword(dataDir: string): Promise<void> {
    if (this.#auth.getStaffPasswordHash()) return;

    const password = randomPassword();
    const file = join(dataDir, STAFF_PASSWORD_FILE);

    this.#auth.setStaffPasswordHash(await hashPassword(password));
    writeFileSync(
      file,
      `Podium staff password (created ${new Date().toISOString()}):\n${password}\n` +
        'Change it with: sudo -u podium podium set-staff-password (installed appliance), ' +
        'or npm run set-staff-password (a checkout)\n',
      { mode: 0o600 },
    );
    this.#initialPassword = password;
    this.#logger.warn({ file }, 'created a random staff password; the console shows it once, the file keeps it');
  }

  /** Sets a new staff password, removes the initial-password file and ends all staff sessions. */
  async setStaffPassword(password: string, dataDir: string): Promise<void> {
    this.#auth.setStaffPasswordHash(await hashPassword(password));
    rmSync(join(dataDir, STAFF_PASSWORD_FILE), { force: true });
    this.#initialPassword = undefined;
    this.#auth.deleteStaffSessions();
    this.#logger.info('staff password changed, staff sessions ended');
    this.emit('sessionsended');
  }

  /** Returns the generated first password once, then drops it from memory. */
  takeInitialPassword(): string | undefined {
    const password = this.#initialPassword;

    this.#initialPassword = undefined;

    return password;
  }

  /** Returns the principal of a request from its session cookie; anonymous listeners have none. */
  principalFromCookies(cookieHeader: string | undefined): Principal {
    const token = readCookie(cookieHeader, SESSION_COOKIE);
    const session = token ? this.#auth.findSession(token) : undefined;

    if (!session) return ANONYMOUS_LISTENER;

    const principal: Principal = { role: session.role, eventId: session.eventId, sessionId: session.id };

    return session.kind === 'lobby' ? { ...principal, lobbyAdmitted: true } : principal;
  }

  /**
   * Returns true when a request is the appliance's own kiosk browser. That
   * takes plain HTTP from a loopback address, a loopback host name (so that a
   * page reached by DNS rebinding does not qualify), no proxy headers, and
   * the config switch auth.kioskAutoLogin on.
   */
  isKioskRequest(request: { secure: boolean; remoteAddress: string | undefined; headers: Record<string, unknown> }): boolean {
    return this.#config.auth.kioskAutoLogin && !request.secure && isLocalMachineRequest(request);
  }

  kioskSession(): NewSession {
    this.#logger.info('kiosk staff session created');

    return this.#newSession('staff', null, null, 'kiosk', this.#staffSessionMs());
  }

  /** Checks the staff password; rate-limited per client address. */
  async login(password: string, clientAddress: string): Promise<NewSession> {
    const waitMs = this.#loginFailures.retryAfterMs(clientAddress);

    if (waitMs > 0) {
      this.#logger.warn({ clientAddress }, 'login rate-limited');
      throw podiumError('PODIUM_ERR_RATE_LIMITED', 'failed logins', Math.ceil(waitMs / 1000));
    }

    // The attempt counts before the slow check, so parallel guesses cannot
    // all start inside the limit; a correct password clears the count.
    this.#loginFailures.record(clientAddress);

    const hash = this.#auth.getStaffPasswordHash();

    if (!hash || !(await verifyPassword(password, hash))) {
      this.#logger.warn({ clientAddress }, 'login failed');
      throw podiumError('PODIUM_ERR_LOGIN_FAILED');
    }
    this.#loginFailures.reset(clientAddress);
    this.#logger.info({ clientAddress }, 'staff logged in');

    return this.#newSession('staff', null, null, 'password', this.#staffSessionMs());
  }

  logout(principal: Principal): void {
    if (!principal.sessionId) return;
    this.#auth.deleteSession(principal.sessionId);
    this.emit('sessionsended');
  }

  /** Returns true while the principal's session exists; anonymous listeners have no session to lose. */
  isSessionAlive(principal: Principal): boolean {
    return principal.sessionId === null || this.#auth.hasSession(principal.sessionId);
  }

  /**
   * Returns the secret of a meeting's moderator link: an HMAC of the meeting
   * id under the invite signing key, so nothing more is stored and a new
   * signing key revokes every moderator link.
   */
  meetingModeratorKey(meetingId: string): string {
    return createHmac('sha256', this.#auth.inviteSigningKey()).update(`meeting-moderator:${meetingId}`).digest('base64url');
  }

  /** Returns true when the key is the meeting's moderator key (compared in constant time). */
  isMeetingModeratorKey(meetingId: string, key: string): boolean {
    const expected = Buffer.from(this.meetingModeratorKey(meetingId));
    const given = Buffer.from(key);

    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  createInvite(eventId: string, role: InviteRole, label: string, validHours: number): CreatedInvite {
    const expiresAt = new Date(Date.now() + validHours * 3600 * 1000).toISOString();
    const invite = this.#auth.createInvite({ role, eventId, label, expiresAt });
    const token = createInviteToken(
      { inviteId: invite.id, role, eventId, expiresAt: Date.parse(expiresAt) },
      this.#auth.inviteSigningKey(),
    );

    this.#logger.info({ inviteId: invite.id, eventId, role }, 'invite created');

    return { invite, token };
  }

  listInvites(eventId: string): InviteRecord[] {
    return this.#auth.listInvites(eventId);
  }

  revokeInvite(inviteId: string): InviteRecord {
    if (!this.#auth.getInvite(inviteId)) throw podiumError('PODIUM_ERR_INVITE_NOT_FOUND', inviteId);
    this.#auth.revokeInvite(inviteId);
    this.#logger.info({ inviteId }, 'invite revoked');
    this.emit('sessionsended');

    return this.#auth.getInvite(inviteId) as InviteRecord;
  }

  /**
   * Returns the claims of an invite token whose signature is valid and whose
   * invite is neither revoked, expired nor deleted; throws
   * PODIUM_ERR_INVITE_INVALID with the reason otherwise.
   */
  verifyInvite(token: string): InviteClaims {
    const read = readInviteToken(token, this.#auth.inviteSigningKey());

    if ('invalid' in read) {
      this.#logger.warn({ reason: read.invalid }, 'invite rejected');
      throw podiumError('PODIUM_ERR_INVITE_INVALID', read.invalid);
    }

    const { claims } = read;
    const invite = this.#auth.getInvite(claims.inviteId);
    const reason = !invite
      ? 'it was deleted'
      : invite.revokedAt
        ? 'it was revoked'
        : claims.expiresAt <= Date.now()
          ? 'it has expired'
          : invite.role !== claims.role || invite.eventId !== claims.eventId
            ? 'it does not match its record'
            : undefined;

    if (reason) {
      this.#logger.warn({ inviteId: claims.inviteId, reason }, 'invite rejected');
      throw podiumError('PODIUM_ERR_INVITE_INVALID', reason);
    }

    return claims;
  }

  /** Exchanges a valid invite token for a session in its event, ending when the invite does. */
  redeemInvite(token: string): NewSession & { role: InviteRole; eventId: string } {
    const claims = this.verifyInvite(token);

    const session = this.#newSession(claims.role, claims.eventId, claims.inviteId, 'invite', claims.expiresAt - Date.now());

    this.#logger.info({ inviteId: claims.inviteId, eventId: claims.eventId, role: claims.role }, 'invite redeemed');

    return { ...session, role: claims.role, eventId: claims.eventId };
  }

  /** Checks an event's access code and returns a listener session for that event. */
  grantAccessCode(eventId: string, code: string, clientAddress: string): NewSession {
    const waitMs = this.#codeFailures.retryAfterMs(clientAddress);

    if (waitMs > 0) throw podiumError('PODIUM_ERR_RATE_LIMITED', 'wrong access codes', Math.ceil(waitMs / 1000));

    const event = this.#events.getEvent(eventId);

    if (!event) throw podiumError('PODIUM_ERR_EVENT_NOT_FOUND', eventId);
    if (event.accessCode === null || !sameText(code.trim(), event.accessCode)) {
      this.#codeFailures.record(clientAddress);
      this.#logger.warn({ eventId, clientAddress }, 'wrong access code');
      throw podiumError('PODIUM_ERR_ACCESS_CODE_WRONG');
    }
    this.#logger.info({ eventId }, 'access code accepted');

    return this.#newSession('listener', eventId, null, 'access-code', 24 * 3600 * 1000);
  }

  /**
   * Returns a listener session for an event whose lobby staff admitted the
   * caller from. It also grants the event's access code, because only pages
   * that entered the code wait in the lobby.
   */
  lobbyAdmission(eventId: string): NewSession {
    this.#logger.info({ eventId }, 'lobby admission session created');

    return this.#newSession('listener', eventId, null, 'lobby', 24 * 3600 * 1000);
  }

  #staffSessionMs(): number {
    return this.#config.auth.sessionHours * 3600 * 1000;
  }

  #newSession(role: Role, eventId: string | null, inviteId: string | null, kind: SessionKind, lifetimeMs: number): NewSession {
    const expiresAt = new Date(Date.now() + lifetimeMs).toISOString();
    const { token } = this.#auth.createSession({ role, eventId, inviteId, kind, expiresAt });

    return { token, maxAgeSeconds: Math.max(1, Math.floor(lifetimeMs / 1000)) };
  }
}
