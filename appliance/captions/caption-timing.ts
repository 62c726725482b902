/**
 * When each caption shows and for how long, shared by the watch page's
 * overlay, the HLS subtitle track and the recording's WebVTT file. This
 * module has no Node.js imports because the web bundle uses it too.
 */

/** Milliseconds a caption stays on screen when newer lines do not push it out sooner. */
export const CAPTION_DISPLAY_MS = 4000;
/** Lines on screen at once. The oldest one leaves when a newer line would make one more. */
export const CAPTION_MAX_LINES = 3;
/** Milliseconds any caption stays on screen at least, even a single word. */
const MIN_READING_MS = 1500;
/** Reading speed used for the minimum display time, in characters per second. */
const READING_CHARS_PER_SECOND = 15;
/**
 * Milliseconds a caption may wait behind lines still being read. It is more
 * than the reading time of a caption of MAX_CAPTION_LENGTH (200 characters
 * take 13.4 s), so every part of one split line gets its reading time. A
 * feed that sends faster than people read stays at most this far behind the
 * picture. Its lines then overlap beyond CAPTION_MAX_LINES, and old lines
 * leave before their reading time.
 */
const MAX_SHOW_DELAY_MS = 15_000;

/** A caption with the moment it shows from (wall-clock ms). */
export type TimedCaption = { text: string; atMs: number };

/** A WebVTT cue of one caption: its text, start and end (wall-clock ms). */
export type CaptionCue = { text: string; startMs: number; endMs: number };

/** Returns the time a caption needs on screen to be read: at least 1.5 s, or 15 characters a second. */
export function readingMs(text: string): number {
  return Math.max(MIN_READING_MS, Math.ceil((text.length * 1000) / READING_CHARS_PER_SECOND));
}

/**
 * Returns the moment a new caption shows from (wall-clock ms). It shows when
 * it arrives, unless CAPTION_MAX_LINES earlier lines are still on screen and
 * the oldest of them has not been shown for its reading time. The parts of a
 * split line, which arrive together, then show one after the other.
 * earlier: the event's captions before it, oldest first.
 */
export function captionShowMs(earlier: TimedCaption[], arrivalMs: number): number {
  const previous = earlier.at(-1);
  const pushedOut = earlier.at(-CAPTION_MAX_LINES);
  let showMs = Math.max(arrivalMs, previous?.atMs ?? arrivalMs);

  if (pushedOut) showMs = Math.max(showMs, pushedOut.atMs + readingMs(pushedOut.text));

  return Math.min(showMs, arrivalMs + MAX_SHOW_DELAY_MS);
}

/**
 * Returns the cue of each caption. A cue starts when its caption shows and
 * ends CAPTION_DISPLAY_MS later (or after its reading time, if that is
 * longer), or sooner when the line CAPTION_MAX_LINES newer shows. So up to
 * CAPTION_MAX_LINES cues overlap. captions: oldest first.
 */
export function captionCues(captions: TimedCaption[]): CaptionCue[] {
  return captions.map((caption, index) => {
    const pushing = captions[index + CAPTION_MAX_LINES];
    const shownUntil = caption.atMs + Math.max(CAPTION_DISPLAY_MS, readingMs(caption.text));
    const endMs = pushing ? Math.min(shownUntil, Math.max(pushing.atMs, caption.atMs + 1)) : shownUntil;

    return { text: caption.text, startMs: caption.atMs, endMs };
  });
}

/** Escapes &, < and > in cue text as WebVTT character references, which also breaks up a "-->" timing arrow. */
export function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
