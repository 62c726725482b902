import type { MeetingRecord } from '../store/meeting-store.js';
import type { MeetingState } from './meeting-protocol.js';

/** Returns whether a meeting is open, ended by a moderator or staff, or past its expiry. */
export function meetingState(record: MeetingRecord, now = Date.now()): MeetingState {
  if (record.endedAt !== null) return 'ended';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return 'expired';

  return 'open';
}
