import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { InviteRole, Role } from '../auth/roles.js';
import type { InviteInfo } from '../signaling/protocol.js';

/** The way a session began. */
export type SessionKind = 'password' | 'kiosk' | 'invite' | 'access-code' | 'lobby';

export type SessionRecord = {
  id: string;
  role: Role;
  eventId: string | null;
  inviteId: string | null;
  kind: SessionKind;
  expiresAt: string;
};

export type InviteRecord = InviteInfo;

type SessionRow = {
  token_hash: string;
  role: Role;
  event_id: string | null;
  invite_id: string | null;
  kind: SessionKind;
  expires_at: string;
};

type InviteRow = {
  id: string;
  role: InviteRole;
  event_id: string;
  label: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
};

const STAFF_PASSWORD_KEY = 'staffPasswordHash';
const INVITE_KEY = 'inviteSigningKey';

/** Sessions are stored by the SHA-256 of their token, so a copy of the database opens none. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toInvite(row: InviteRow): InviteRecord {
  return {
    id: row.id,
    role: row.role,
    eventId: row.event_id,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Sessions, invites, the staff password hash and the invite signing key, in the Podium store. */
export class AuthStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  getStaffPasswordHash(): string | undefined {
    return this.#setting(STAFF_PASSWORD_KEY);
  }

  setStaffPasswordHash(hash: string): void {
    this.#setSetting(STAFF_PASSWORD_KEY, hash);
  }

  /** Returns the invite signing key, creating a random one the first time. */
  inviteSigningKey(): Buffer {
    const existing = this.#setting(INVITE_KEY);

    if (existing) return Buffer.from(existing, 'base64');

    const key = randomBytes(32);

    this.#setSetting(INVITE_KEY, key.toString('base64'));

    return key;
  }

  /** Creates a session and returns its token, which only the cookie carries. */
  createSession(session: Omit<SessionRecord, 'id'>): { token: string; id: string } {
    const token = randomBytes(32).toString('base64url');
    const id = hashToken(token);

    this.#db
      .prepare(
        `INSERT INTO sessions (token_hash, role, event_id, invite_id, kind, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, session.role, session.eventId, session.inviteId, session.kind, new Date().toISOString(), session.expiresAt);

    return { token, id };
  }

  /** Returns the unexpired session of a token, or undefined. */
  findSession(token: string, now = new Date()): SessionRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(hashToken(token)) as
      | SessionRow
      | undefined;

    if (!row || Date.parse(row.expires_at) <= now.getTime()) return undefined;

    return {
      id: row.token_hash,
      role: row.role,
      eventId: row.event_id,
      inviteId: row.invite_id,
      kind: row.kind,
      expiresAt: row.expires_at,
    };
  }

  /** Returns true when an unexpired session with this id exists. */
  hasSession(id: string, now = new Date()): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM sessions WHERE token_hash = ? AND expires_at > ?').get(id, now.toISOString()) !==
      undefined
    );
  }

  deleteSession(id: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(id);
  }

  /** Ends every staff session, for example after a password change. */
  deleteStaffSessions(): number {
    return this.#db.prepare("DELETE FROM sessions WHERE role = 'staff'").run().changes;
  }

  deleteExpiredSessions(now = new Date()): number {
    return this.#db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString()).changes;
  }

  createInvite(invite: Pick<InviteRecord, 'role' | 'eventId' | 'label' | 'expiresAt'>): InviteRecord {
    const id = randomUUID();

    this.#db
      .prepare(
        `INSERT INTO invites (id, role, event_id, label, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, invite.role, invite.eventId, invite.label, new Date().toISOString(), invite.expiresAt);

    return this.getInvite(id) as InviteRecord;
  }

  getInvite(id: string): InviteRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM invites WHERE id = ?').get(id) as InviteRow | undefined;

    return row ? toInvite(row) : undefined;
  }

  listInvites(eventId: string): InviteRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM invites WHERE event_id = ? ORDER BY created_at DESC')
      .all(eventId) as InviteRow[];

    return rows.map(toInvite);
  }

  /** Marks an invite revoked and ends the sessions opened with it. */
  revokeInvite(id: string): void {
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id);
      this.#db.prepare('DELETE FROM sessions WHERE invite_id = ?').run(id);
    })();
  }

  #setting(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;

    return row?.value;
  }

  #setSetting(key: string, value: string): void {
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}
