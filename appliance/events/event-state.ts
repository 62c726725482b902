import type { EventState } from '../signaling/protocol.js';

export type { EventState };

/**
 * The life of an event: ready → starting → live → stopping → ended, or
 * failed (with a reason) from ready, starting, live or stopping. A failed
 * event can be started again.
 */
export const EVENT_STATES: readonly EventState[] = ['ready', 'starting', 'live', 'stopping', 'ended', 'failed'];

const transitions: Record<EventState, readonly EventState[]> = {
  ready: ['starting', 'failed'],
  starting: ['live', 'stopping', 'failed'],
  live: ['stopping', 'failed'],
  stopping: ['ended', 'failed'],
  ended: [],
  failed: ['starting'],
};

export function canTransition(from: EventState, to: EventState): boolean {
  return transitions[from].includes(to);
}

/** Returns the new state, or throws when the move is not allowed. */
export function transition(from: EventState, to: EventState): EventState {
  if (!canTransition(from, to)) {
    const allowed = transitions[from].join(', ') || 'none';

    throw new Error(`event state cannot change from ${from} to ${to}; allowed from ${from}: ${allowed}`);
  }

  return to;
}

/** Returns true for the states in which an event occupies the appliance (one event at a time). */
export function isRunning(state: EventState): boolean {
  return state === 'starting' || state === 'live' || state === 'stopping';
}

export function isStartable(state: EventState): boolean {
  return canTransition(state, 'starting');
}
