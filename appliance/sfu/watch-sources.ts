import type { SourceLabel } from './source-labels.js';

const PROGRAM: SourceLabel[] = ['program', 'program-audio'];
const VENUE: SourceLabel[] = ['venue-camera', 'venue-mic'];

type SourcesOf = { hasSource(source: SourceLabel): boolean };

/**
 * Returns the sources a watch page receives: the program once the
 * compositor delivers it (its producers exist a little before), the venue
 * camera and microphone until then.
 */
export function watchSources(room: SourcesOf, programLive: boolean): SourceLabel[] {
  return programLive && PROGRAM.every((source) => room.hasSource(source)) ? PROGRAM : VENUE;
}

/**
 * Returns the sources a watch page must consume again after a source got a
 * new producer: none when the page does not watch it, both program streams
 * on "program-audio" (the last one the compositor publishes, and the signal
 * that moves pages from the venue to the program).
 */
export function sourcesToRenew(room: SourcesOf, programLive: boolean, source: SourceLabel): SourceLabel[] {
  const watched = watchSources(room, programLive);

  if (!watched.includes(source)) return [];

  return source === 'program-audio' ? watched : [source];
}
