import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RecordingEndReason, RecordingInfo } from '../signaling/protocol.js';

type RecordingRow = {
  id: string;
  event_id: string;
  file_name: string;
  started_at: string;
  ended_at: string | null;
  bytes: number;
  duration_seconds: number;
  end_reason: RecordingEndReason | null;
};

function toInfo(row: RecordingRow): RecordingInfo {
  return {
    id: row.id,
    eventId: row.event_id,
    fileName: row.file_name,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    bytes: row.bytes,
    durationSeconds: row.duration_seconds,
    endReason: row.end_reason,
  };
}

/**
 * The recordings table: one row per recording file, updated with its size
 * and duration after every segment, so the list is right even after a crash.
 */
export class RecordingStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  create(eventId: string, fileName: string): RecordingInfo {
    const id = randomUUID();

    this.#db
      .prepare('INSERT INTO recordings (id, event_id, file_name, started_at) VALUES (?, ?, ?, ?)')
      .run(id, eventId, fileName, new Date().toISOString());

    return this.get(id)!;
  }

  get(id: string): RecordingInfo | undefined {
    const row = this.#db.prepare('SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;

    return row ? toInfo(row) : undefined;
  }

  list(): RecordingInfo[] {
    const rows = this.#db.prepare('SELECT * FROM recordings ORDER BY started_at DESC').all() as RecordingRow[];

    return rows.map(toInfo);
  }

  /** Returns whether a file name is taken by any recording. */
  hasFileName(fileName: string): boolean {
    return this.#db.prepare('SELECT 1 FROM recordings WHERE file_name = ?').get(fileName) !== undefined;
  }

  updateProgress(id: string, bytes: number, durationSeconds: number): void {
    this.#db.prepare('UPDATE recordings SET bytes = ?, duration_seconds = ? WHERE id = ?').run(bytes, durationSeconds, id);
  }

  end(id: string, reason: RecordingEndReason): void {
    this.#db
      .prepare('UPDATE recordings SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
      .run(new Date().toISOString(), reason, id);
  }

  /** Marks recordings that were running when Podium stopped as interrupted; returns their ids. */
  endInterrupted(): string[] {
    const rows = this.#db.prepare('SELECT id FROM recordings WHERE ended_at IS NULL').all() as { id: string }[];

    for (const row of rows) this.end(row.id, 'interrupted');

    return rows.map((row) => row.id);
  }

  delete(id: string): void {
    this.#db.prepare('DELETE FROM recordings WHERE id = ?').run(id);
  }
}
