/** Limits that every signaling connection (events and meetings) has. */

/** Unsent data above this many bytes shows a socket that stopped reading; it is dropped. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Messages a connection may send per second before it gets errors. */
export const MESSAGES_PER_SECOND = 50;
/** Rejected messages after which a connection counts as flooding and is closed. */
export const MAX_REJECTED_MESSAGES = 200;
/** WebSocket close code for a connection closed for flooding (RFC 6455: policy violation). */
export const CLOSE_POLICY_VIOLATION = 1008;
