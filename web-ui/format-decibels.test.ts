import { describe, expect, it } from 'vitest';
import { formatDecibels } from './format-decibels.js';

describe('formatDecibels', () => {
  it('uses a decimal comma in German', () => {
    expect(formatDecibels(-23.44, 'de-DE')).toBe('-23,4 dBFS');
  });

  it('uses a decimal point in English', () => {
    expect(formatDecibels(-23.44, 'en-GB')).toBe('-23.4 dBFS');
  });

  it('keeps one decimal for whole numbers', () => {
    expect(formatDecibels(-6, 'en-GB')).toBe('-6.0 dBFS');
  });
});
