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
