import { describe, expect, it } from 'vitest';
import type { MeetingParticipant, MeetingProducer, MeetingSnapshot } from '../../appliance/meetings/meeting-protocol.js';
import { gridTiles, participantChanges, preferredLayer, speakerLayout } from '../../web-ui/meeting/meeting-layout.js';

function producer(source: MeetingProducer['source'], paused = false): MeetingProducer {
  return { producerId: `p-${source}-${Math.random().toString(36).slice(2)}`, source, kind: source === 'microphone' ? 'audio' : 'video', paused };
}

function participant(peerId: string, joinedAt: string, producers: MeetingProducer[] = [], handRaised = false): MeetingParticipant {
  return { peerId, name: peerId.toUpperCase(), moderator: false, handRaised, joinedAt, producers };
}

function snapshot(participants: MeetingParticipant[], self = 'a', activeSpeaker: string | null = null): MeetingSnapshot {
  return {
    meeting: { id: 'm1', name: 'Team', hasAccessCode: false, lobby: false, state: 'open', locked: false },
    self: { peerId: self, state: 'joined', moderator: false },
    participants,
    lobby: [],
    activeSpeaker,
    recording: false,
    streaming: false,
  };
}

describe('gridTiles', () => {
  it('orders tiles by join time', () => {
    const tiles = gridTiles(
      snapshot([participant('c', '2026-12-05T10:02:00Z'), participant('a', '2026-12-05T10:00:00Z'), participant('b', '2026-12-05T10:01:00Z')]),
    );

    expect(tiles.map((tile) => tile.peerId)).toEqual(['a', 'b', 'c']);
  });

  it('puts a shared screen right after its camera', () => {
    const tiles = gridTiles(
      snapshot([
        participant('a', '2026-12-05T10:00:00Z', [producer('camera')]),
        participant('b', '2026-12-05T10:01:00Z', [producer('camera'), producer('screen')]),
        participant('c', '2026-12-05T10:02:00Z', [producer('camera')]),
      ]),
    );

    expect(tiles.map((tile) => tile.key)).toEqual(['a:camera', 'b:camera', 'b:screen', 'c:camera']);
  });

  it('marks the own tile', () => {
    const tiles = gridTiles(snapshot([participant('a', '2026-12-05T10:00:00Z'), participant('b', '2026-12-05T10:01:00Z')], 'b'));

    expect(tiles.find((tile) => tile.self)?.peerId).toBe('b');
    expect(tiles.filter((tile) => tile.self)).toHaveLength(1);
  });

  it('shows muted and missing media as off', () => {
    const [muted, absent, live] = gridTiles(
      snapshot([
        participant('a', '2026-12-05T10:00:00Z', [producer('camera', true), producer('microphone', true)]),
        participant('b', '2026-12-05T10:01:00Z'),
        participant('c', '2026-12-05T10:02:00Z', [producer('camera'), producer('microphone')], true),
      ]),
    );

    expect(muted?.videoOff).toBe(true);
    expect(muted?.microphoneOff).toBe(true);
    expect(muted?.videoProducerId).toBeDefined();
    expect(absent?.videoOff).toBe(true);
    expect(absent?.videoProducerId).toBeUndefined();
    expect(live?.videoOff).toBe(false);
    expect(live?.microphoneOff).toBe(false);
    expect(live?.handRaised).toBe(true);
  });
});

describe('speakerLayout', () => {
  const people = [
    participant('a', '2026-12-05T10:00:00Z', [producer('camera')]),
    participant('b', '2026-12-05T10:01:00Z', [producer('camera')]),
    participant('c', '2026-12-05T10:02:00Z', [producer('camera')]),
  ];

  it('shows the active speaker large', () => {
    const { large, small } = speakerLayout(gridTiles(snapshot(people)), 'c');

    expect(large?.key).toBe('c:camera');
    expect(small.map((tile) => tile.key)).toEqual(['a:camera', 'b:camera']);
  });

  it('prefers a shared screen to any camera', () => {
    const sharing = [...people.slice(0, 2), participant('c', '2026-12-05T10:02:00Z', [producer('camera'), producer('screen')])];
    const { large, small } = speakerLayout(gridTiles(snapshot(sharing)), 'b');

    expect(large?.key).toBe('c:screen');
    expect(small.map((tile) => tile.key)).toContain('c:camera');
  });

  it('prefers the speaking sharer of two screens', () => {
    const sharing = [
      participant('a', '2026-12-05T10:00:00Z', [producer('screen')]),
      participant('b', '2026-12-05T10:01:00Z', [producer('screen')]),
    ];

    expect(speakerLayout(gridTiles(snapshot(sharing)), 'b').large?.key).toBe('b:screen');
    expect(speakerLayout(gridTiles(snapshot(sharing)), null).large?.key).toBe('a:screen');
  });

  it('keeps the own camera small', () => {
    expect(speakerLayout(gridTiles(snapshot(people, 'a')), 'a').large?.key).toBe('b:camera');
    expect(speakerLayout(gridTiles(snapshot(people, 'a')), null).large?.key).toBe('b:camera');
  });

  it('shows the own camera when alone', () => {
    const { large, small } = speakerLayout(gridTiles(snapshot([people[0]!], 'a')), null);

    expect(large?.key).toBe('a:camera');
    expect(small).toEqual([]);
  });

  it('has no large tile when empty', () => {
    expect(speakerLayout([], null)).toEqual({ large: undefined, small: [] });
  });
});

describe('preferredLayer', () => {
  const tiles = (count: number) =>
    gridTiles(snapshot(Array.from({ length: count }, (_, index) => participant(`p${index}`, `2026-12-05T10:0${index}:00Z`, [producer('camera')])), 'p0'));

  it('asks the large tile for the high layer', () => {
    const all = tiles(6);
    const { large } = speakerLayout(all, 'p3');

    expect(preferredLayer(all[3]!, 'speaker', all, large)).toBe(1);
    expect(preferredLayer(all[1]!, 'speaker', all, large)).toBe(0);
  });

  it('asks a small grid for the high layer', () => {
    const all = tiles(4);

    expect(all.map((tile) => preferredLayer(tile, 'grid', all, undefined))).toEqual([1, 1, 1, 1]);
  });

  it('asks a large grid for the low layer', () => {
    const all = tiles(5);

    expect(all.map((tile) => preferredLayer(tile, 'grid', all, undefined))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('participantChanges', () => {
  const before = snapshot([participant('a', '2026-12-05T10:00:00Z'), participant('b', '2026-12-05T10:01:00Z')]);

  it('names who joined and who left', () => {
    const after = snapshot([participant('a', '2026-12-05T10:00:00Z'), participant('c', '2026-12-05T10:02:00Z')]);

    expect(participantChanges(before, after)).toEqual({ joined: ['C'], left: ['B'] });
  });

  it('announces nobody on the first snapshot', () => {
    expect(participantChanges(undefined, before)).toEqual({ joined: [], left: [] });
  });

  it('announces nobody after the lobby', () => {
    const waiting: MeetingSnapshot = { ...snapshot([]), self: { peerId: 'a', state: 'waiting', moderator: false } };

    expect(participantChanges(waiting, before)).toEqual({ joined: [], left: [] });
  });
});
