import { CAPTION_MAX_LINES, captionCues } from '../../appliance/captions/caption-timing.js';
import type { Caption } from '../../appliance/signaling/protocol.js';

/**
 * Returns the captions whose cue has begun and not ended at a moment
 * (wall-clock ms of the picture on screen), oldest first and at most
 * CAPTION_MAX_LINES. The cues are timed as in the HLS subtitle track.
 * captions: oldest first.
 */
export function visibleCaptions(captions: Caption[], atMs: number): Caption[] {
  const cues = captionCues(captions.map((caption) => ({ text: caption.text, atMs: Date.parse(caption.showAt) })));
  const onScreen = captions.filter((_caption, index) => {
    const cue = cues[index]!;

    return cue.startMs <= atMs && atMs < cue.endMs;
  });

  return onScreen.slice(-CAPTION_MAX_LINES);
}
