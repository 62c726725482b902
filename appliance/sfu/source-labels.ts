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
  'remote-speaker-mic',
  'interpreter',
  'listener-on-stage',
  'listener-camera',
  'program',
  'program-audio',
  'stand-in-video',
  'stand-in-audio',
] as const;

export type SourceLabel = (typeof SOURCE_LABELS)[number];

/**
 * Sources that Podium itself publishes: the program and the stand-ins that
 * fill the compositor's inputs while their source is missing. No page may
 * publish them.
 */
export const INTERNAL_SOURCES: readonly SourceLabel[] = ['program', 'program-audio', 'stand-in-video', 'stand-in-audio'];
