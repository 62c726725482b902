import { describe, expect, it } from 'vitest';
import type { SourceLabel } from '../sfu/source-labels.js';
import { chooseBroadcastSources, type BroadcastTrack } from './broadcast-sources.js';

/** Tracks of participants a to e: each has a camera and a microphone; c also shares a screen. */
const tracks: BroadcastTrack[] = ['a', 'b', 'c', 'd', 'e'].flatMap((peerId) => [
  { peerId, source: 'camera', producerId: `${peerId}-camera` },
  { peerId, source: 'microphone', producerId: `${peerId}-mic` },
]);
const withScreen = [...tracks, { peerId: 'c', source: 'screen', producerId: 'c-screen' }];
const none = new Map<SourceLabel, string>();

describe('chooseBroadcastSources', () => {
  it('shows the active speaker with the three most recent voices', () => {
    const chosen = chooseBroadcastSources(tracks, ['d', 'b'], none);

    expect(chosen.get('venue-camera')).toBe('d-camera');
    expect(chosen.has('lectern-screen')).toBe(false);
    expect([chosen.get('venue-mic'), chosen.get('remote-speaker-mic'), chosen.get('listener-on-stage')]).toEqual([
      'd-mic',
      'b-mic',
      'a-mic',
    ]);
  });

  it('follows the track order before anyone spoke', () => {
    const chosen = chooseBroadcastSources(tracks, [], none);

    expect(chosen.get('venue-camera')).toBe('a-camera');
    expect(chosen.get('venue-mic')).toBe('a-mic');
  });

  it('shows a shared screen with its sharer\'s camera', () => {
    const chosen = chooseBroadcastSources(withScreen, ['a'], none);

    expect(chosen.get('lectern-screen')).toBe('c-screen');
    expect(chosen.get('venue-camera')).toBe('c-camera');
  });

  it('keeps a voice on its label while it stays among the three', () => {
    const before = chooseBroadcastSources(tracks, ['a', 'b', 'c'], none);
    const after = chooseBroadcastSources(tracks, ['e', 'a', 'b'], before);

    expect(after.get('venue-mic')).toBe('a-mic');
    expect(after.get('remote-speaker-mic')).toBe('b-mic');
    expect(after.get('listener-on-stage')).toBe('e-mic');
  });

  it('chooses nothing in a meeting without tracks', () => {
    expect(chooseBroadcastSources([], ['a'], none).size).toBe(0);
  });
});
