import { describe, expect, it } from 'vitest';
import type { StoredPart } from '../store/recording-store.js';
import { groupParts } from './recording-parts.js';

function part(recordingId: string, number: number, overrides: Partial<StoredPart> = {}): StoredPart {
  return {
    id: number === 1 ? recordingId : `${recordingId}-${number}`,
    eventId: 'event',
    meetingId: null,
    recordingId,
    part: number,
    fileName: `${recordingId}-${number}.ts`,
    startedAt: `2026-12-04T19:0${number}:00.000Z`,
    endedAt: `2026-12-04T19:0${number}:30.000Z`,
    bytes: 1000 * number,
    durationSeconds: 10 * number,
    endReason: 'requested',
    ...overrides,
  };
}

describe('groupParts', () => {
  it('sums the parts of one recording', () => {
    const [recording] = groupParts([part('a', 1, { endReason: 'interrupted' }), part('a', 2, { endReason: 'event-ended' })]);

    expect(recording?.id).toBe('a');
    expect(recording?.fileName).toBe('a-1.ts');
    expect(recording?.bytes).toBe(3000);
    expect(recording?.durationSeconds).toBe(30);
    expect(recording?.startedAt).toBe('2026-12-04T19:01:00.000Z');
    expect(recording?.endedAt).toBe('2026-12-04T19:02:30.000Z');
    expect(recording?.endReason).toBe('event-ended');
    expect(recording?.parts.map((entry) => entry.id)).toEqual(['a', 'a-2']);
  });

  it('keeps recordings apart and in order', () => {
    const recordings = groupParts([part('b', 1), part('a', 1), part('a', 2)]);

    expect(recordings.map((recording) => recording.id)).toEqual(['b', 'a']);
    expect(recordings.map((recording) => recording.parts.length)).toEqual([1, 2]);
  });

  it('orders parts by number', () => {
    const [recording] = groupParts([part('a', 2), part('a', 1)]);

    expect(recording?.parts.map((entry) => entry.fileName)).toEqual(['a-1.ts', 'a-2.ts']);
  });
});
