import type { EventEmitter } from 'node:events';

/** Life of one output of a room, such as the HLS output. */
export type OutputState = 'starting' | 'live' | 'stopping' | 'stopped' | 'failed';

export type OutputEvents = {
  /** The state changed; reason is set for "failed". */
  state: [OutputState, string | undefined];
};

/**
 * An output is a client of the room: it consumes producers by source label
 * and reports its own state, so the console never claims "live" for an output
 * that is not delivering.
 */
export interface RoomOutput extends EventEmitter<OutputEvents> {
  readonly kind: string;
  readonly state: OutputState;
  readonly failureReason: string | undefined;
  /** Finishes the output cleanly; resolves when its process has exited. */
  stop(): Promise<void>;
}
