import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingStore } from './recording-store.js';
import { Store } from './store.js';

describe('RecordingStore parts', () => {
  let store: Store;
  let recordings: RecordingStore;
  let eventId: string;

  beforeEach(() => {
    store = new Store(':memory:');
    recordings = new RecordingStore(store.database);
    eventId = store.createEvent({ title: 'Lesung', description: '', startsAt: '2027-03-01T18:00:00Z' }).id;
  });

  afterEach(() => store.close());

  it('numbers a continued part', () => {
    const first = recordings.create(eventId, 'a.ts');
    const second = recordings.create(eventId, 'a_teil-2.ts', first);

    expect(first.recordingId).toBe(first.id);
    expect(first.part).toBe(1);
    expect(second.recordingId).toBe(first.id);
    expect(second.part).toBe(2);
    expect(recordings.parts(first.id).map((part) => part.fileName)).toEqual(['a.ts', 'a_teil-2.ts']);
  });

  it('finds the interrupted last part', () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const first = recordings.create(eventId, 'a.ts');

    expect(recordings.endInterrupted()).toEqual([first.id]);
    expect(recordings.interruptedPart(eventId, since)?.id).toBe(first.id);

    const second = recordings.create(eventId, 'a_teil-2.ts', first);

    // The first part is continued already; only the open second part may be.
    expect(recordings.interruptedPart(eventId, since)).toBeUndefined();
    recordings.end(second.id, 'interrupted');
    expect(recordings.interruptedPart(eventId, since)?.id).toBe(second.id);
  });

  it('ignores parts of an earlier run', () => {
    const first = recordings.create(eventId, 'a.ts');

    recordings.end(first.id, 'interrupted');

    expect(recordings.interruptedPart(eventId, new Date(Date.now() + 60_000).toISOString())).toBeUndefined();
  });

  it('ignores parts staff stopped', () => {
    const first = recordings.create(eventId, 'a.ts');

    recordings.end(first.id, 'requested');

    expect(recordings.interruptedPart(eventId, new Date(Date.now() - 60_000).toISOString())).toBeUndefined();
  });
});

describe('Store program scene', () => {
  it('stores and clears an event scene', () => {
    const store = new Store(':memory:');
    const { id } = store.createEvent({ title: 'Lesung', description: '', startsAt: '2027-03-01T18:00:00Z' });
    const scene = { layout: 'slides-camera' as const, lowerThird: { visible: true, title: 'Lesung', name: 'Anna' } };

    expect(store.getProgramScene(id)).toBeUndefined();
    store.setProgramScene(id, scene);
    expect(store.getProgramScene(id)).toEqual(scene);
    store.setProgramScene(id, null);
    expect(store.getProgramScene(id)).toBeUndefined();
    store.close();
  });
});

describe('RecordingStore owners', () => {
  let store: Store;
  let recordings: RecordingStore;

  beforeEach(() => {
    store = new Store(':memory:');
    recordings = new RecordingStore(store.database);
  });

  afterEach(() => store.close());

  it('stores a meeting recording without an event', () => {
    const part = recordings.create({ meetingId: 'meeting-1' }, 'm.ts');

    expect(part).toMatchObject({ eventId: null, meetingId: 'meeting-1', part: 1, recordingId: part.id });
  });

  it('rejects a recording of neither an event nor a meeting', () => {
    expect(() => store.database.prepare("INSERT INTO recordings (id, file_name, started_at) VALUES ('x', 'x.ts', '2027-01-01')").run()).toThrow(
      /CHECK constraint failed/,
    );
  });
});

describe('recordings migration for meetings', () => {
  it('keeps the event recordings of the old table', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'podium-store-')), 'podium.sqlite');
    const first = new Store(path);
    const eventId = first.createEvent({ title: 'Lesung', description: '', startsAt: '2027-03-01T18:00:00Z' }).id;
    const version = first.database.pragma('user_version', { simple: true }) as number;

    // The table as it was before meetings could be recorded, with one event recording.
    first.database.exec(`
      DROP TABLE recordings;
      CREATE TABLE recordings (
        id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id), file_name TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL, ended_at TEXT, bytes INTEGER NOT NULL DEFAULT 0,
        duration_seconds REAL NOT NULL DEFAULT 0, end_reason TEXT, recording_id TEXT, part INTEGER NOT NULL DEFAULT 1
      );
    `);
    first.database
      .prepare("INSERT INTO recordings (id, event_id, file_name, started_at, bytes, recording_id) VALUES ('old', ?, 'old.ts', '2027-03-01T18:00:00Z', 42, 'old')")
      .run(eventId);
    first.database.pragma(`user_version = ${version - 1}`);
    first.close();

    const migrated = new Store(path);
    const old = new RecordingStore(migrated.database).get('old');

    expect(old).toMatchObject({ eventId, meetingId: null, fileName: 'old.ts', bytes: 42, recordingId: 'old', part: 1 });
    expect(() => new RecordingStore(migrated.database).create({ meetingId: 'm' }, 'm.ts')).not.toThrow();
    migrated.close();
  });
});
