import type { SourceLabel } from './source-labels.js';

const PROGRAM: SourceLabel[] = ['program', 'program-audio'];
const VENUE: SourceLabel[] = ['venue-camera', 'venue-mic'];

/**
 * The sources a watch page receives: the program once the compositor
 * publishes both its streams, the venue camera and microphone before that.
 */
export function watchSources(room: { hasSource(source: SourceLabel): boolean }): SourceLabel[] {
  return PROGRAM.every((source) => room.hasSource(source)) ? PROGRAM : VENUE;
}

/**
 * The sources a watch page must consume again after a source got a new
 * producer: none when the page does not watch it; both program streams
 * when the program sound arrives, since that moves the page from the venue
 * to the program.
 */
export function sourcesToRenew(room: { hasSource(source: SourceLabel): boolean }, source: SourceLabel): SourceLabel[] {
  const watched = watchSources(room);

  if (!watched.includes(source)) return [];

  return source === 'program-audio' ? watched : [source];
}
