import { describe, expect, it } from 'vitest';
import { canTransition, EVENT_STATES, isRunning, isStartable, transition, type EventState } from './event-state.js';

// Every (from, to) pair, written out from the documented lifecycle. The main
// path is ready → starting → live → stopping → ended, and a stop before live
// is starting → stopping. An event can fail from ready, starting, live and
// stopping, and a failed event can start again.
const ALLOWED = true;
const FORBIDDEN = false;

const pairs: [from: EventState, to: EventState, allowed: boolean][] = [
  ['ready', 'ready', FORBIDDEN],
  ['ready', 'starting', ALLOWED],
  ['ready', 'live', FORBIDDEN],
  ['ready', 'stopping', FORBIDDEN],
  ['ready', 'ended', FORBIDDEN],
  ['ready', 'failed', ALLOWED],

  ['starting', 'ready', FORBIDDEN],
  ['starting', 'starting', FORBIDDEN],
  ['starting', 'live', ALLOWED],
  ['starting', 'stopping', ALLOWED],
  ['starting', 'ended', FORBIDDEN],
  ['starting', 'failed', ALLOWED],

  ['live', 'ready', FORBIDDEN],
  ['live', 'starting', FORBIDDEN],
  ['live', 'live', FORBIDDEN],
  ['live', 'stopping', ALLOWED],
  ['live', 'ended', FORBIDDEN],
  ['live', 'failed', ALLOWED],

  ['stopping', 'ready', FORBIDDEN],
  ['stopping', 'starting', FORBIDDEN],
  ['stopping', 'live', FORBIDDEN],
  ['stopping', 'stopping', FORBIDDEN],
  ['stopping', 'ended', ALLOWED],
  ['stopping', 'failed', ALLOWED],

  ['ended', 'ready', FORBIDDEN],
  ['ended', 'starting', FORBIDDEN],
  ['ended', 'live', FORBIDDEN],
  ['ended', 'stopping', FORBIDDEN],
  ['ended', 'ended', FORBIDDEN],
  ['ended', 'failed', FORBIDDEN],

  ['failed', 'ready', FORBIDDEN],
  ['failed', 'starting', ALLOWED],
  ['failed', 'live', FORBIDDEN],
  ['failed', 'stopping', FORBIDDEN],
  ['failed', 'ended', FORBIDDEN],
  ['failed', 'failed', FORBIDDEN],
];

describe('EVENT_STATES', () => {
  it('lists the six states in order', () => {
    expect(EVENT_STATES).toEqual(['ready', 'starting', 'live', 'stopping', 'ended', 'failed']);
  });

  it('table covers every pair once', () => {
    const keys = new Set(pairs.map(([from, to]) => `${from}->${to}`));

    expect(keys.size).toBe(EVENT_STATES.length ** 2);
    expect(pairs).toHaveLength(EVENT_STATES.length ** 2);
  });
});

describe('canTransition', () => {
  it.each(pairs)('%s to %s gives %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('transition', () => {
  it.each(pairs.filter(([, , allowed]) => allowed))('%s to %s returns target', (from, to) => {
    expect(transition(from, to)).toBe(to);
  });

  it.each(pairs.filter(([, , allowed]) => !allowed))('%s to %s throws naming both', (from, to) => {
    expect(() => transition(from, to)).toThrow(`event state cannot change from ${from} to ${to}`);
  });

  it('lists allowed targets in error', () => {
    expect(() => transition('live', 'ready')).toThrow(
      'event state cannot change from live to ready; allowed from live: stopping, failed',
    );
  });

  it('says none allowed after ended', () => {
    expect(() => transition('ended', 'starting')).toThrow(
      'event state cannot change from ended to starting; allowed from ended: none',
    );
  });
});

describe('isRunning', () => {
  it.each([
    ['ready', false],
    ['starting', true],
    ['live', true],
    ['stopping', true],
    ['ended', false],
    ['failed', false],
  ] as const)('%s gives %s', (state, running) => {
    expect(isRunning(state)).toBe(running);
  });
});

describe('isStartable', () => {
  it.each([
    ['ready', true],
    ['starting', false],
    ['live', false],
    ['stopping', false],
    ['ended', false],
    ['failed', true],
  ] as const)('%s gives %s', (state, startable) => {
    expect(isStartable(state)).toBe(startable);
  });
});
