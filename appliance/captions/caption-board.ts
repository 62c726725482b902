import { EventEmitter } from 'node:events';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import { CAPTION_MAX_LINES, captionShowMs, type TimedCaption } from './caption-timing.js';
import { MAX_CAPTION_LENGTH, type Caption, type StaffEventInfo } from '../signaling/protocol.js';

/** Captions kept per event, for the HLS subtitle track and the recording, which write them out within seconds. */
const KEPT_CAPTIONS = 500;

export type CaptionBoardEvents = { caption: [Caption] };

/** Reads events; the EventController is one. */
export type CaptionEventLookup = { find(id: string): StaffEventInfo | undefined };

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Splits a line longer than MAX_CAPTION_LENGTH at spaces (or hard, in a word
 * longer than that), so that a stenography tool's long line becomes several
 * captions instead of an error. Control characters are removed, and runs of
 * white space become one space.
 */
export function splitCaption(text: string): string[] {
  const parts: string[] = [];
  let rest = text.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();

  while (rest.length > MAX_CAPTION_LENGTH) {
    const space = rest.lastIndexOf(' ', MAX_CAPTION_LENGTH);
    const cut = space > 0 ? space : MAX_CAPTION_LENGTH;

    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);

  return parts;
}

/**
 * The live captions of each event, as captioners type them or a
 * stenography tool sends them. A caption is pinned to the moment it
 * arrives (wall clock and stream time) and shows from showAt, which is later
 * while the lines before it are still being read (caption-timing.ts). Watch
 * pages show it then, or on HLS when their playback reaches that moment. The
 * HLS subtitle track and the recording write it out. Captions live in
 * memory, and what stays is in the HLS and recording files.
 */
export class CaptionBoard extends EventEmitter<CaptionBoardEvents> {
  readonly #events: CaptionEventLookup;
  readonly #logger: Logger;
  readonly #captions = new Map<string, Caption[]>();
  #nextId = 1;

  constructor(events: CaptionEventLookup, logger: Logger) {
    super();
    this.#events = events;
    this.#logger = logger.child({ module: 'captions' });
  }

  /** Adds a line of captions to the live event; a long line becomes several captions. */
  add(eventId: string, text: string, origin: 'page' | 'feed'): Caption[] {
    const event = this.#events.find(eventId);

    if (!event) throw podiumError('PODIUM_ERR_EVENT_NOT_FOUND', eventId);
    if (event.state !== 'live') throw podiumError('PODIUM_ERR_NOT_LIVE', event.state);

    const parts = splitCaption(text);

    if (parts.length === 0) throw podiumError('PODIUM_ERR_CAPTION_EMPTY');

    const liveSince = event.liveSince ? Date.parse(event.liveSince) : Date.now();
    const stored = this.#captions.get(eventId) ?? [];
    const now = Date.now();
    const added: Caption[] = [];

    for (const part of parts) {
      const latest: TimedCaption[] = stored.slice(-CAPTION_MAX_LINES).map((caption) => ({ text: caption.text, atMs: Date.parse(caption.showAt) }));
      const showMs = captionShowMs(latest, now);
      const caption = {
        id: this.#nextId++,
        eventId,
        text: part,
        at: new Date(now).toISOString(),
        showAt: new Date(showMs).toISOString(),
        streamTimeMs: Math.max(0, now - liveSince),
      };

      stored.push(caption);
      added.push(caption);
    }
    stored.splice(0, Math.max(0, stored.length - KEPT_CAPTIONS));
    this.#captions.set(eventId, stored);
    for (const caption of added) {
      this.#logger.info({ eventId, captionId: caption.id, origin, length: caption.text.length }, 'caption received');
      this.emit('caption', caption);
    }

    return added;
  }

  /** Returns the event's captions that show from the given wall-clock time (ms) or later, oldest first. */
  since(eventId: string, fromMs: number): Caption[] {
    return (this.#captions.get(eventId) ?? []).filter((caption) => Date.parse(caption.showAt) >= fromMs);
  }
}
