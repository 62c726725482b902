import { describe, expect, it } from 'vitest';
import type { Caption } from '../../appliance/signaling/protocol.js';
import { visibleCaptions } from './visible-captions.js';

const START = Date.UTC(2026, 11, 5, 18, 0, 0);

function caption(id: number, showOffsetMs: number, text = `Zeile ${id}`): Caption {
  const at = new Date(START).toISOString();

  return { id, eventId: 'e', text, at, showAt: new Date(START + showOffsetMs).toISOString(), streamTimeMs: 0 };
}

function ids(captions: Caption[]): number[] {
  return captions.map((entry) => entry.id);
}

describe('visibleCaptions', () => {
  it('shows lines close together at once', () => {
    const captions = [caption(1, 0), caption(2, 150), caption(3, 300)];

    expect(ids(visibleCaptions(captions, START + 400))).toEqual([1, 2, 3]);
  });

  it('hides a line before it shows', () => {
    const captions = [caption(1, 0), caption(2, 13_000)];

    expect(ids(visibleCaptions(captions, START + 2000))).toEqual([1]);
  });

  it('lets the fourth line push out the first', () => {
    const captions = [caption(1, 0), caption(2, 2000), caption(3, 2100), caption(4, 2200)];

    expect(ids(visibleCaptions(captions, START + 2300))).toEqual([2, 3, 4]);
  });

  it('hides a line after 4 s', () => {
    expect(visibleCaptions([caption(1, 0)], START + 4000)).toEqual([]);
  });
});
