import { describe, expect, it } from 'vitest';
import { HlsViewerCounter } from './hls-viewer-counter.js';

describe('HlsViewerCounter', () => {
  it('counts distinct clients once', () => {
    const counter = new HlsViewerCounter();

    counter.seen('192.0.2.1', 'Firefox', 1000);
    counter.seen('192.0.2.1', 'Firefox', 2000);
    counter.seen('192.0.2.2', 'Firefox', 2000);
    counter.seen('192.0.2.1', 'Chrome', 2000);

    expect(counter.count(2000)).toBe(3);
  });

  it('forgets clients after 15 s', () => {
    const counter = new HlsViewerCounter();

    counter.seen('192.0.2.1', 'Firefox', 0);
    counter.seen('192.0.2.2', 'Firefox', 10_000);

    expect(counter.count(15_000)).toBe(2);
    expect(counter.count(15_001)).toBe(1);
    expect(counter.count(25_001)).toBe(0);
  });
});
