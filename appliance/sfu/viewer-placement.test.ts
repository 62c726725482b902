import { describe, expect, it } from 'vitest';
import { chooseViewerWorker } from './viewer-placement.js';

const loads = (...viewers: number[]) => viewers.map((count, index) => ({ index, viewers: count }));

describe('chooseViewerWorker', () => {
  it('keeps viewers on origin below limit', () => {
    expect(chooseViewerWorker(loads(1, 0), 0, 2)).toEqual({ index: 0, overloaded: false });
  });

  it('moves the viewer beyond limit to next worker', () => {
    expect(chooseViewerWorker(loads(2, 0), 0, 2)).toEqual({ index: 1, overloaded: false });
  });

  it('skips full workers in index order', () => {
    expect(chooseViewerWorker(loads(2, 2, 1, 0), 0, 2)).toEqual({ index: 2, overloaded: false });
  });

  it('prefers an origin other than worker 0', () => {
    expect(chooseViewerWorker(loads(0, 1), 1, 2)).toEqual({ index: 1, overloaded: false });
  });

  it('overloads the least loaded when all are full', () => {
    expect(chooseViewerWorker(loads(3, 2, 4), 0, 2)).toEqual({ index: 1, overloaded: true });
  });

  it('serves a single worker beyond limit', () => {
    expect(chooseViewerWorker(loads(5), 0, 2)).toEqual({ index: 0, overloaded: true });
  });
});
