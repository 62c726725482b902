import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../store/store.js';
import { decideRestore, RESTORE_WINDOW_MS } from './event-restore.js';

const now = new Date('2026-12-04T20:00:00.000Z');

function record(state: EventRecord['state']): EventRecord {
  return {
    id: 'event',
    title: 'Lesung',
    description: '',
    startsAt: '2026-12-04T19:00:00.000Z',
    state,
    failureCode: null,
    failureReason: null,
    liveSince: '2026-12-04T19:00:00.000Z',
    endedAt: null,
    accessCode: null,
    lobby: false,
    keepTexts: false,
    createdAt: '2026-12-01T10:00:00.000Z',
  };
}

function secondsAgo(seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString();
}

describe('decideRestore', () => {
  it('restores a live event after a short break', () => {
    expect(decideRestore(record('live'), secondsAgo(20), now)).toEqual({ action: 'restore' });
  });

  it('restores a starting event', () => {
    expect(decideRestore(record('starting'), secondsAgo(20), now)).toEqual({ action: 'restore' });
  });

  it('ends a stopping event', () => {
    expect(decideRestore(record('stopping'), secondsAgo(20), now)).toEqual({ action: 'end' });
  });

  it('fails after a long break', () => {
    const decision = decideRestore(record('live'), secondsAgo(RESTORE_WINDOW_MS / 1000 + 60), now);

    expect(decision.action).toBe('fail');
    expect(decision.action === 'fail' && decision.failure.code).toBe('interrupted');
    expect(decision.action === 'fail' && decision.failure.reason).toContain('Podium was down for 11 min');
  });

  it('fails without a heartbeat', () => {
    const decision = decideRestore(record('live'), undefined, now);

    expect(decision.action === 'fail' && decision.failure.reason).toContain('no record of when');
  });
});
