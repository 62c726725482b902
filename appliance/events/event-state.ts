/**
 * The life of an event: ready → starting → live → stopping → ended, or
 * failed (with a reason) from any state but ended. A failed event can be
 * started again.
 */
export const EVENT_STATES = ['ready', 'starting', 'live', 'stopping', 'ended', 'failed'] as const;

export type EventState = (typeof EVENT_STATES)[number];

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

/** States in which an event holds the appliance (only one event at a time). */
export function isRunning(state: EventState): boolean {
  return state === 'starting' || state === 'live' || state === 'stopping';
}

export function isStartable(state: EventState): boolean {
  return canTransition(state, 'starting');
}
