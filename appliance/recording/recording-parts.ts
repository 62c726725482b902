import type { RecordingInfo, RecordingPart } from '../signaling/protocol.js';
import type { StoredPart } from '../store/recording-store.js';

function toPart(stored: StoredPart): RecordingPart {
  const { id, fileName, startedAt, endedAt, bytes, durationSeconds, endReason, hasCaptions } = stored;

  return { id, fileName, startedAt, endedAt, bytes, durationSeconds, endReason, hasCaptions };
}

/**
 * Groups parts into recordings, keeping the order of the first part of each
 * recording. A recording's id is its first part's id, its file name the
 * first remaining part's, its totals the sums of its parts, and its end the
 * last part's.
 */
export function groupParts(parts: StoredPart[]): RecordingInfo[] {
  const groups = new Map<string, StoredPart[]>();

  for (const part of parts) groups.set(part.recordingId, [...(groups.get(part.recordingId) ?? []), part]);

  return [...groups.values()].map((members) => {
    const ordered = [...members].sort((a, b) => a.part - b.part);
    const first = ordered[0]!;
    const last = ordered.at(-1)!;

    return {
      id: first.recordingId,
      eventId: first.eventId,
      meetingId: first.meetingId,
      fileName: first.fileName,
      startedAt: first.startedAt,
      endedAt: last.endedAt,
      bytes: ordered.reduce((sum, part) => sum + part.bytes, 0),
      durationSeconds: ordered.reduce((sum, part) => sum + part.durationSeconds, 0),
      endReason: last.endReason,
      hasCaptions: first.hasCaptions,
      parts: ordered.map(toPart),
    };
  });
}
