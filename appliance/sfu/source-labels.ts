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

/** The media kind of each source: a page may publish a source only as its kind. */
export const SOURCE_KINDS: Record<SourceLabel, 'audio' | 'video'> = {
  'venue-camera': 'video',
  'venue-mic': 'audio',
  'lectern-screen': 'video',
  'lectern-camera': 'video',
  'remote-speaker': 'video',
  'remote-speaker-mic': 'audio',
  interpreter: 'video',
  'listener-on-stage': 'audio',
  'listener-camera': 'video',
  program: 'video',
  'program-audio': 'audio',
  'stand-in-video': 'video',
  'stand-in-audio': 'audio',
};
