import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

/** A restream target with its stream key, which only the restream service reads. */
export type RestreamTargetRecord = {
  id: string;
  eventId: string;
  name: string;
  url: string;
  streamKey: string;
  createdAt: string;
};

type TargetRow = {
  id: string;
  event_id: string;
  name: string;
  url: string;
  stream_key: string;
  created_at: string;
};

function toRecord(row: TargetRow): RestreamTargetRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    name: row.name,
    url: row.url,
    streamKey: row.stream_key,
    createdAt: row.created_at,
  };
}

/** The restream_targets table: the RTMP targets of each event, with their stream keys. */
export class RestreamStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  add(eventId: string, target: { name: string; url: string; streamKey: string }): RestreamTargetRecord {
    const id = randomUUID();

    this.#db
      .prepare('INSERT INTO restream_targets (id, event_id, name, url, stream_key, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, eventId, target.name, target.url, target.streamKey, new Date().toISOString());

    return this.get(id)!;
  }

  get(id: string): RestreamTargetRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM restream_targets WHERE id = ?').get(id) as TargetRow | undefined;

    return row ? toRecord(row) : undefined;
  }

  listForEvent(eventId: string): RestreamTargetRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM restream_targets WHERE event_id = ? ORDER BY created_at')
      .all(eventId) as TargetRow[];

    return rows.map(toRecord);
  }

  delete(id: string): void {
    this.#db.prepare('DELETE FROM restream_targets WHERE id = ?').run(id);
  }
}
