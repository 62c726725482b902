import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RecordingEndReason, RecordingPart } from '../signaling/protocol.js';

type RecordingRow = {
  id: string;
  event_id: string | null;
  meeting_id: string | null;
  recording_id: string;
  part: number;
  file_name: string;
  started_at: string;
  ended_at: string | null;
  bytes: number;
  duration_seconds: number;
  end_reason: RecordingEndReason | null;
};

/**
 * A part as stored: the file, the event or meeting and the recording it
 * belongs to, and its place in the recording.
 */
export type StoredPart = RecordingPart & { eventId: string | null; meetingId: string | null; recordingId: string; part: number };

/** The owner of a recording: an event or a meeting. */
export type RecordingOwner = { eventId: string } | { meetingId: string };

function toPart(row: RecordingRow): StoredPart {
  return {
    id: row.id,
    eventId: row.event_id,
    meetingId: row.meeting_id,
    recordingId: row.recording_id,
    part: row.part,
    fileName: row.file_name,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    bytes: row.bytes,
    durationSeconds: row.duration_seconds,
    endReason: row.end_reason,
  };
}

/**
 * The recordings table: one row per recording file (part), updated with its
 * size and duration after every segment, so the list is right even after a
 * crash. The parts of one recording share its recording_id, the id of the
 * first part.
 */
export class RecordingStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /**
   * Adds a part: the first of a new recording of an event (an event id) or
   * of a meeting, or the next part of the recording that `continues` belongs to.
   */
  create(owner: string | RecordingOwner, fileName: string, continues?: StoredPart): StoredPart {
    const id = randomUUID();
    const resolved = typeof owner === 'string' ? { eventId: owner } : owner;
    const eventId = 'eventId' in resolved ? resolved.eventId : null;
    const meetingId = 'meetingId' in resolved ? resolved.meetingId : null;

    this.#db
      .prepare(
        'INSERT INTO recordings (id, event_id, meeting_id, recording_id, part, file_name, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, eventId, meetingId, continues?.recordingId ?? id, (continues?.part ?? 0) + 1, fileName, new Date().toISOString());

    return this.get(id)!;
  }

  get(id: string): StoredPart | undefined {
    const row = this.#db.prepare('SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;

    return row ? toPart(row) : undefined;
  }

  /** Lists every part, newest recording first and each recording's parts in order. */
  list(): StoredPart[] {
    const rows = this.#db
      .prepare(
        `SELECT r.* FROM recordings r LEFT JOIN recordings first ON first.id = r.recording_id
         ORDER BY COALESCE(first.started_at, r.started_at) DESC, r.recording_id, r.part`,
      )
      .all() as RecordingRow[];

    return rows.map(toPart);
  }

  /** Lists the parts of one recording in order. */
  parts(recordingId: string): StoredPart[] {
    const rows = this.#db
      .prepare('SELECT * FROM recordings WHERE recording_id = ? ORDER BY part')
      .all(recordingId) as RecordingRow[];

    return rows.map(toPart);
  }

  /**
   * Returns the part that a stop of Podium cut off during an event's run
   * since `since`, if it is the last part of its recording.
   */
  interruptedPart(eventId: string, since: string): StoredPart | undefined {
    const row = this.#db
      .prepare(
        `SELECT * FROM recordings r
         WHERE event_id = ? AND end_reason = 'interrupted' AND started_at >= ?
           AND NOT EXISTS (SELECT 1 FROM recordings later WHERE later.recording_id = r.recording_id AND later.part > r.part)
         ORDER BY started_at DESC LIMIT 1`,
      )
      .get(eventId, since) as RecordingRow | undefined;

    return row ? toPart(row) : undefined;
  }

  /** Returns whether a file name is taken by any part. */
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

  /** Marks parts that were running when Podium stopped as interrupted; returns their ids. */
  endInterrupted(): string[] {
    const rows = this.#db.prepare('SELECT id FROM recordings WHERE ended_at IS NULL').all() as { id: string }[];

    for (const row of rows) this.end(row.id, 'interrupted');

    return rows.map((row) => row.id);
  }

  /** Deletes one part's row. */
  delete(id: string): void {
    this.#db.prepare('DELETE FROM recordings WHERE id = ?').run(id);
  }
}
