import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { EventInfo, EventState, FailureCode, LowerThird, ProgramLayout } from '../signaling/protocol.js';

/** An event as stored: what pages see of it, its access code and text retention, and when it was created. */
export type EventRecord = Omit<EventInfo, 'hasAccessCode' | 'hasLobby'> & {
  /** Code listeners must enter to watch, or null for a public event. */
  accessCode: string | null;
  /** Listeners wait in a lobby until staff admit them. */
  lobby: boolean;
  /** Keep questions, names and chat after the event ends. */
  keepTexts: boolean;
  createdAt: string;
};

/** Why an event failed: a code that pages translate and the details in English. */
export type EventFailure = { code: FailureCode; reason: string };

export type EventStateFields = { failure?: EventFailure; liveSince?: string | null; endedAt?: string | null };

/** The program's scene that staff chose during an event's run, which a restore of the run starts with. */
export type ProgramScene = { layout: ProgramLayout; lowerThird: LowerThird };

export type NewEvent = {
  title: string;
  description: string;
  startsAt: string;
  accessCode?: string | null;
  keepTexts?: boolean;
  lobby?: boolean;
};

type EventRow = {
  id: string;
  title: string;
  description: string;
  starts_at: string;
  state: EventState;
  failure_code: FailureCode | null;
  failure_reason: string | null;
  live_since: string | null;
  ended_at: string | null;
  created_at: string;
  access_code: string | null;
  keep_texts: number;
  lobby: number;
};

const TEST_EVENT_TITLE = 'Testveranstaltung';
const TEST_EVENT_DESCRIPTION =
  'Prüft Kamera, Mikrofon und Stream, ohne dass etwas eingerichtet werden muss.';

function toRecord(row: EventRow): EventRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    startsAt: row.starts_at,
    state: row.state,
    failureCode: row.failure_code,
    failureReason: row.failure_reason,
    liveSince: row.live_since,
    endedAt: row.ended_at,
    accessCode: row.access_code,
    keepTexts: row.keep_texts === 1,
    lobby: row.lobby === 1,
    createdAt: row.created_at,
  };
}

/**
 * The embedded SQLite store (better-sqlite3, synchronous). It contains the
 * events and the selected event, so a restart finds them again.
 */
export class Store {
  readonly #db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    // The store contains the password hash, the invite key and access codes.
    if (path !== ':memory:') chmodSync(path, 0o600);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('foreign_keys = ON');
    this.#migrate();
  }

  close(): void {
    this.#db.close();
  }

  /** The database handle, for the other repositories in this folder. */
  get database(): Database.Database {
    return this.#db;
  }

  listEvents(): EventRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM events ORDER BY starts_at DESC, created_at DESC')
      .all() as EventRow[];

    return rows.map(toRecord);
  }

  getEvent(id: string): EventRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;

    return row ? toRecord(row) : undefined;
  }

  createEvent(event: NewEvent): EventRecord {
    const id = randomUUID();

    this.#db
      .prepare(
        `INSERT INTO events (id, title, description, starts_at, state, created_at, access_code, keep_texts, lobby)
         VALUES (?, ?, ?, ?, 'ready', ?, ?, ?, ?)`,
      )
      .run(
        id,
        event.title,
        event.description,
        event.startsAt,
        new Date().toISOString(),
        event.accessCode || null,
        event.keepTexts ? 1 : 0,
        event.lobby ? 1 : 0,
      );

    return this.getEvent(id) as EventRecord;
  }

  /** Writes a new state with its timestamps. The failure is kept only for "failed". */
  updateEventState(
    id: string,
    state: EventState,
    fields: EventStateFields = {},
  ): EventRecord {
    const current = this.getEvent(id);

    if (!current) throw new Error(`event ${id} not found in the store`);
    this.#db
      .prepare(
        `UPDATE events SET state = ?, failure_code = ?, failure_reason = ?, live_since = ?, ended_at = ?
         WHERE id = ?`,
      )
      .run(
        state,
        state === 'failed' ? (fields.failure?.code ?? null) : null,
        state === 'failed' ? (fields.failure?.reason ?? 'unknown') : null,
        fields.liveSince === undefined ? current.liveSince : fields.liveSince,
        fields.endedAt === undefined ? current.endedAt : fields.endedAt,
        id,
      );

    return this.getEvent(id) as EventRecord;
  }

  /** Turns an event's lobby on or off. */
  setEventLobby(id: string, enabled: boolean): void {
    this.#db.prepare('UPDATE events SET lobby = ? WHERE id = ?').run(enabled ? 1 : 0, id);
  }

  /** Stores the program scene of an event's current run; null clears it. */
  setProgramScene(id: string, scene: ProgramScene | null): void {
    this.#db.prepare('UPDATE events SET program_scene = ? WHERE id = ?').run(scene ? JSON.stringify(scene) : null, id);
  }

  getProgramScene(id: string): ProgramScene | undefined {
    const row = this.#db.prepare('SELECT program_scene FROM events WHERE id = ?').get(id) as
      | { program_scene: string | null }
      | undefined;

    return row?.program_scene ? (JSON.parse(row.program_scene) as ProgramScene) : undefined;
  }

  /** Stores a question, chat line or display name of an event, as its kind states. */
  addEventText(eventId: string, kind: 'question' | 'chat' | 'name', author: string | null, body: string): number {
    const result = this.#db
      .prepare('INSERT INTO event_texts (event_id, kind, author, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(eventId, kind, author, body, new Date().toISOString());

    return Number(result.lastInsertRowid);
  }

  countEventTexts(eventId: string): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS count FROM event_texts WHERE event_id = ?').get(eventId) as {
      count: number;
    };

    return row.count;
  }

  /** Deletes an event's questions, chat and names; returns how many rows went. */
  deleteEventTexts(eventId: string): number {
    return this.#db.prepare('DELETE FROM event_texts WHERE event_id = ?').run(eventId).changes;
  }

  getSetting(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;

    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;

    MIGRATIONS.slice(version).forEach((migrate, index) => {
      this.#db.transaction(() => {
        migrate(this.#db);
        this.#db.pragma(`user_version = ${version + index + 1}`);
      })();
    });
  }
}

/** Schema changes in order; the database's user_version counts those applied. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        state TEXT NOT NULL,
        failure_reason TEXT,
        live_since TEXT,
        ended_at TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // A fresh installation gets one ready test event, so that the first
    // Start works without any set-up.
    db.prepare(
      `INSERT INTO events (id, title, description, starts_at, state, created_at)
       VALUES (?, ?, ?, ?, 'ready', ?)`,
    ).run(randomUUID(), TEST_EVENT_TITLE, TEST_EVENT_DESCRIPTION, new Date().toISOString(), new Date().toISOString());
  },
  (db) => {
    db.exec(`
      ALTER TABLE events ADD COLUMN access_code TEXT;
      ALTER TABLE events ADD COLUMN keep_texts INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        event_id TEXT,
        invite_id TEXT,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        event_id TEXT NOT NULL REFERENCES events(id),
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE event_texts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL REFERENCES events(id),
        kind TEXT NOT NULL,
        author TEXT,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
  },
  (db) => {
    db.exec('ALTER TABLE events ADD COLUMN failure_code TEXT');
  },
  (db) => {
    db.exec(`
      CREATE TABLE recordings (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        file_name TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        bytes INTEGER NOT NULL DEFAULT 0,
        duration_seconds REAL NOT NULL DEFAULT 0,
        end_reason TEXT
      );
    `);
  },
  (db) => {
    db.exec(`
      CREATE TABLE restream_targets (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        stream_key TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
  },
  (db) => {
    // Votes go with their question, so deleting an event's texts deletes them too.
    db.exec(`
      ALTER TABLE events ADD COLUMN lobby INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE events ADD COLUMN stage_question_id INTEGER;
      ALTER TABLE event_texts ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
      ALTER TABLE event_texts ADD COLUMN stream_time_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE event_texts ADD COLUMN asker TEXT;
      CREATE TABLE question_votes (
        question_id INTEGER NOT NULL REFERENCES event_texts(id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        PRIMARY KEY (question_id, voter)
      );
    `);
  },
  (db) => {
    // A recording is one or more parts (files): a restart of Podium continues it in a new part.
    db.exec(`
      ALTER TABLE events ADD COLUMN program_scene TEXT;
      ALTER TABLE recordings ADD COLUMN recording_id TEXT;
      ALTER TABLE recordings ADD COLUMN part INTEGER NOT NULL DEFAULT 1;
      UPDATE recordings SET recording_id = id;
    `);
  },
  (db) => {
    // Meetings: everyday video conferences, each with its own room while people are in it.
    db.exec(`
      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        access_code TEXT,
        lobby INTEGER NOT NULL DEFAULT 0,
        expires_at TEXT,
        created_at TEXT NOT NULL,
        ended_at TEXT,
        locked INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
  (db) => {
    // Recordings of meetings: event_id becomes nullable, which SQLite allows
    // only by rebuilding the table. A recording belongs to an event or to a
    // meeting. meeting_id has no foreign key, because a meeting's recordings
    // outlive its deletion.
    db.exec(`
      CREATE TABLE recordings_rebuilt (
        id TEXT PRIMARY KEY,
        event_id TEXT REFERENCES events(id),
        meeting_id TEXT,
        file_name TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        bytes INTEGER NOT NULL DEFAULT 0,
        duration_seconds REAL NOT NULL DEFAULT 0,
        end_reason TEXT,
        recording_id TEXT,
        part INTEGER NOT NULL DEFAULT 1,
        CHECK ((event_id IS NULL) <> (meeting_id IS NULL))
      );
      INSERT INTO recordings_rebuilt
        (id, event_id, file_name, started_at, ended_at, bytes, duration_seconds, end_reason, recording_id, part)
        SELECT id, event_id, file_name, started_at, ended_at, bytes, duration_seconds, end_reason, recording_id, part
        FROM recordings;
      DROP TABLE recordings;
      ALTER TABLE recordings_rebuilt RENAME TO recordings;
    `);
  },
];
