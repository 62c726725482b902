import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MeetingInfo } from '../meetings/meeting-protocol.js';

/** A meeting as the store keeps it. */
export type MeetingRecord = Pick<MeetingInfo, 'id' | 'name' | 'accessCode' | 'lobby' | 'expiresAt' | 'createdAt' | 'endedAt' | 'locked'>;

type MeetingRow = {
  id: string;
  name: string;
  access_code: string | null;
  lobby: number;
  expires_at: string | null;
  created_at: string;
  ended_at: string | null;
  locked: number;
};

function toRecord(row: MeetingRow): MeetingRecord {
  return {
    id: row.id,
    name: row.name,
    accessCode: row.access_code,
    lobby: row.lobby === 1,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    locked: row.locked === 1,
  };
}

/**
 * The meetings table. A meeting's id is its link, so it is random and long
 * (128 bits) and cannot be found by guessing.
 */
export class MeetingStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  create(meeting: { name: string; accessCode: string | null; lobby: boolean; expiresAt: string | null }): MeetingRecord {
    const id = randomBytes(16).toString('base64url');

    this.#db
      .prepare('INSERT INTO meetings (id, name, access_code, lobby, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, meeting.name, meeting.accessCode, meeting.lobby ? 1 : 0, meeting.expiresAt, new Date().toISOString());

    return this.get(id)!;
  }

  get(id: string): MeetingRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM meetings WHERE id = ?').get(id) as MeetingRow | undefined;

    return row ? toRecord(row) : undefined;
  }

  /** Returns every meeting, newest first. */
  list(): MeetingRecord[] {
    return (this.#db.prepare('SELECT * FROM meetings ORDER BY created_at DESC').all() as MeetingRow[]).map(toRecord);
  }

  setLocked(id: string, locked: boolean): void {
    this.#db.prepare('UPDATE meetings SET locked = ? WHERE id = ?').run(locked ? 1 : 0, id);
  }

  /** Marks the meeting ended now; an ended meeting keeps its first end time. */
  end(id: string): void {
    this.#db.prepare('UPDATE meetings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(new Date().toISOString(), id);
  }

  delete(id: string): void {
    this.#db.prepare('DELETE FROM meetings WHERE id = ?').run(id);
  }
}
