import { describe, expect, it } from 'vitest';
import { CAPTION_MAX_LINES, captionCues, captionShowMs, escapeCueText, readingMs, type TimedCaption } from './caption-timing.js';

const START = Date.UTC(2026, 11, 5, 18, 0, 0);

/** Returns the captions as the caption board times them: each shown by captionShowMs. */
function schedule(lines: { text: string; arrivalMs: number }[]): TimedCaption[] {
  const timed: TimedCaption[] = [];

  for (const line of lines) timed.push({ text: line.text, atMs: captionShowMs(timed, line.arrivalMs) });

  return timed;
}

/** Returns how many cues are on screen at a moment. */
function onScreen(cues: { startMs: number; endMs: number }[], atMs: number): number {
  return cues.filter((cue) => cue.startMs <= atMs && atMs < cue.endMs).length;
}

describe('readingMs', () => {
  it('gives a word 1.5 s', () => {
    expect(readingMs('Ja')).toBe(1500);
  });

  it('gives 200 characters 15 characters a second', () => {
    expect(readingMs('x'.repeat(200))).toBe(13_334);
  });
});

describe('captionShowMs', () => {
  it('shows a caption at arrival while lines are free', () => {
    expect(captionShowMs([{ text: 'eins', atMs: START }], START + 100)).toBe(START + 100);
  });

  it('shows the parts of a split line one after another', () => {
    const parts = schedule(Array.from({ length: 6 }, (_, index) => ({ text: `${index} ${'w'.repeat(195)}`, arrivalMs: START })));
    const starts = parts.map((part) => part.atMs - START);

    // Three parts fit on screen. Each further part waits until the part three before it was read.
    expect(starts.slice(0, CAPTION_MAX_LINES)).toEqual([0, 0, 0]);
    expect(starts[3]).toBe(readingMs(parts[0]!.text));
    expect(starts[4]).toBe(readingMs(parts[1]!.text));
    expect(starts[5]).toBe(readingMs(parts[2]!.text));
  });

  it('never delays a caption by more than 15 s', () => {
    const lines = schedule(Array.from({ length: 12 }, () => ({ text: 'x'.repeat(200), arrivalMs: START })));

    expect(lines.at(-1)!.atMs).toBe(START + 15_000);
  });
});

describe('captionCues', () => {
  it('keeps a caption 4 s when no lines follow', () => {
    expect(captionCues([{ text: 'eins', atMs: START }])[0]!.endMs - START).toBe(4000);
  });

  it('keeps a long caption for its reading time', () => {
    const text = 'x'.repeat(150);

    expect(captionCues([{ text, atMs: START }])[0]!.endMs - START).toBe(10_000);
  });

  it('keeps lines sent 150 ms apart readable', () => {
    const lines = schedule(['Guten', 'Abend', 'und', 'willkommen', 'zur', 'Lesung'].map((text, index) => ({ text, arrivalMs: START + index * 150 })));
    const cues = captionCues(lines);

    for (const cue of cues) expect(cue.endMs - cue.startMs).toBeGreaterThanOrEqual(1500);
    for (const cue of cues) expect(onScreen(cues, cue.startMs)).toBeLessThanOrEqual(CAPTION_MAX_LINES);
  });

  it('shows every part of a long line in order', () => {
    const parts = schedule(Array.from({ length: 6 }, (_, index) => ({ text: `Teil ${index} ${'w'.repeat(190)}`, arrivalMs: START })));
    const cues = captionCues(parts);

    for (const [index, cue] of cues.entries()) {
      expect(cue.endMs - cue.startMs).toBeGreaterThanOrEqual(readingMs(cue.text));
      if (index > 0) expect(cue.startMs).toBeGreaterThanOrEqual(cues[index - 1]!.startMs);
    }
  });

  it('lets the fourth line push out the first', () => {
    const lines = [0, 2000, 2100, 2200].map((offset, index) => ({ text: `Zeile ${index}`, atMs: START + offset }));
    const cues = captionCues(lines);

    expect(cues[0]!.endMs - START).toBe(2200);
    expect(onScreen(cues, START + 2150)).toBe(3);
  });
});

describe('escapeCueText', () => {
  it('escapes ampersands and angle brackets', () => {
    expect(escapeCueText('a < b & c <i>kursiv</i> &amp; Ende')).toBe('a &lt; b &amp; c &lt;i&gt;kursiv&lt;/i&gt; &amp;amp; Ende');
  });

  it('leaves no timing arrow', () => {
    expect(escapeCueText('a --> b')).toBe('a --&gt; b');
  });
});
