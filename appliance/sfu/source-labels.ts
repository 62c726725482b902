/**
 * The content of a producer, stored in its appData.source. Outputs pick their
 * inputs from the room by this label.
 */
export const SOURCE_LABELS = [
  'venue-camera',
  'venue-mic',
  'lectern-screen',
  'lectern-camera',
  'remote-speaker',
  'interpreter',
  'listener-on-stage',
  'program',
] as const;

export type SourceLabel = (typeof SOURCE_LABELS)[number];
