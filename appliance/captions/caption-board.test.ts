import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import type { StaffEventInfo } from '../signaling/protocol.js';
import { CaptionBoard, splitCaption } from './caption-board.js';
import { readingMs } from './caption-timing.js';

const EVENT: StaffEventInfo = {
  id: 'e1',
  title: 'Lesung',
  description: '',
  startsAt: '2026-12-05T18:00:00.000Z',
  state: 'live',
  failureCode: null,
  failureReason: null,
  liveSince: '2026-12-05T18:00:00.000Z',
  endedAt: null,
  hasAccessCode: false,
  hasLobby: false,
  accessCode: null,
  keepTexts: false,
};

function board(): CaptionBoard {
  return new CaptionBoard({ find: (id) => (id === EVENT.id ? EVENT : undefined) }, createLogger('silent'));
}

describe('splitCaption', () => {
  it('removes control characters', () => {
    expect(splitCaption('ctl\u0007\u001bX \u0000 Ende\u007f')).toEqual(['ctlX Ende']);
  });

  it('keeps tabs and line breaks as spaces', () => {
    expect(splitCaption('eins\tzwei\r\ndrei')).toEqual(['eins zwei drei']);
  });

  it('finds no text in control characters alone', () => {
    expect(splitCaption('\u0000\u0001')).toEqual([]);
  });
});

describe('CaptionBoard', () => {
  it('rejects a line of control characters as empty', () => {
    expect(() => board().add(EVENT.id, '\u0007 \u001b', 'feed')).toThrow(expect.objectContaining({ code: 'PODIUM_ERR_CAPTION_EMPTY' }));
  });

  it('shows the parts of a long line one after another', () => {
    const words = Array.from({ length: 120 }, (_, index) => `w${String(index).padStart(3, '0')}`).join(' ');
    const parts = board().add(EVENT.id, `${words} ${words} ${words}`, 'feed');
    const showAt = parts.map((part) => Date.parse(part.showAt));

    expect(parts.length).toBeGreaterThan(3);
    // Three parts show at arrival. The fourth waits until the first was on screen for its reading time.
    expect(showAt[3]! - showAt[0]!).toBe(readingMs(parts[0]!.text));
    for (let index = 1; index < showAt.length; index += 1) expect(showAt[index]).toBeGreaterThanOrEqual(showAt[index - 1]!);
  });

  it('returns captions by the time they show', () => {
    const captions = board();
    const parts = captions.add(EVENT.id, 'x '.repeat(500), 'page');
    const last = parts.at(-1)!;

    expect(captions.since(EVENT.id, Date.parse(last.showAt)).map((caption) => caption.id)).toContain(last.id);
    expect(captions.since(EVENT.id, Date.parse(last.showAt) + 1)).toEqual([]);
  });
});
