/**
 * Copies of the meeting protocol's limits that pages need as values.
 * Pages import only types from the protocol module, because it carries the
 * server's schemas. A unit test keeps these copies equal to the protocol's.
 */
export const MAX_CHAT_LENGTH = 1000;
export const CHAT_HISTORY = 200;
export const MAX_MEETING_NAME_LENGTH = 80;
