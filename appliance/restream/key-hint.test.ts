import { describe, expect, it } from 'vitest';
import { keyHint } from './restream-service.js';

describe('stream key hint', () => {
  it('shows the last four characters of a long key only', () => {
    expect(keyHint('abcd-efgh-ijkl-mnop')).toBe('…mnop');
    expect(keyHint('short')).toBe('…');
    expect(keyHint('k')).toBe('…');
    expect(keyHint('')).toBe('');
  });
});
