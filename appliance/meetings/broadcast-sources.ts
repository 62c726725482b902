import type { SourceLabel } from '../sfu/source-labels.js';

/** A meeting track as the broadcast chooses among them. */
export type BroadcastTrack = { peerId: string; source: string; producerId: string };

/** The program's audio inputs that carry the participants' microphones, in the order they are filled. */
export const BROADCAST_MIC_LABELS = ['venue-mic', 'remote-speaker-mic', 'listener-on-stage'] as const satisfies readonly SourceLabel[];

/**
 * Chooses which meeting tracks the broadcast's program shows, by the
 * program's source labels. Participants count in the order of `speakers`
 * (peer ids, most recent active speaker first), then in the order of their
 * tracks.
 *
 * - While someone shares a screen (the most recent speaker among the
 *   sharers), the screen is "lectern-screen" and the sharer's camera
 *   "venue-camera", which the program's slides-camera layout shows.
 * - Otherwise "venue-camera" is the first participant's camera in that order.
 * - The microphones of the first three participants with one feed the three
 *   audio inputs. A microphone that stays among the three keeps its label
 *   from `previous`, so a change of speaker does not cut the others' sound.
 */
export function chooseBroadcastSources(
  tracks: readonly BroadcastTrack[],
  speakers: readonly string[],
  previous: ReadonlyMap<SourceLabel, string>,
): Map<SourceLabel, string> {
  const order = [...new Set([...speakers, ...tracks.map((track) => track.peerId)])];
  const trackOf = (peerId: string, source: string) => tracks.find((track) => track.peerId === peerId && track.source === source);
  const chosen = new Map<SourceLabel, string>();
  const sharer = order.find((peerId) => trackOf(peerId, 'screen'));

  if (sharer) chosen.set('lectern-screen', trackOf(sharer, 'screen')!.producerId);

  const cameraPeer = sharer && trackOf(sharer, 'camera') ? sharer : order.find((peerId) => trackOf(peerId, 'camera'));

  if (cameraPeer) chosen.set('venue-camera', trackOf(cameraPeer, 'camera')!.producerId);

  const microphones = order
    .map((peerId) => trackOf(peerId, 'microphone')?.producerId)
    .filter((producerId) => producerId !== undefined)
    .slice(0, BROADCAST_MIC_LABELS.length);
  const free = BROADCAST_MIC_LABELS.filter((label) => !microphones.includes(previous.get(label) ?? ''));

  for (const label of BROADCAST_MIC_LABELS) {
    const kept = previous.get(label);

    if (kept !== undefined && microphones.includes(kept)) chosen.set(label, kept);
  }
  for (const producerId of microphones) {
    if ([...chosen.values()].includes(producerId)) continue;
    chosen.set(free.shift()!, producerId);
  }

  return chosen;
}
