import { describe, expect, it } from 'vitest';
import { partFileName, recordingFileName, titleSlug } from './recording-name.js';

describe('titleSlug', () => {
  it.each([
    ['Lesung mit Jürgen Becker', 'lesung-mit-juergen-becker'],
    ['Straße & Café: Über Öl', 'strasse-cafe-ueber-oel'],
    ['  ***  ', 'veranstaltung'],
    ['Ça va?', 'ca-va'],
  ])('turns %j into %j', (title, slug) => {
    expect(titleSlug(title)).toBe(slug);
  });

  it('limits length', () => {
    expect(titleSlug('a'.repeat(200)).length).toBe(60);
  });
});

describe('recordingFileName', () => {
  const at = new Date(2026, 11, 4, 19, 5);

  it('puts local date before title', () => {
    expect(recordingFileName('Lesung', at, () => false)).toBe('2026-12-04_1905_lesung.ts');
  });

  it('counts up taken names', () => {
    const taken = new Set(['2026-12-04_1905_lesung.ts', '2026-12-04_1905_lesung-2.ts']);

    expect(recordingFileName('Lesung', at, (name) => taken.has(name))).toBe('2026-12-04_1905_lesung-3.ts');
  });
});

describe('partFileName', () => {
  it('numbers the part after the first name', () => {
    expect(partFileName('2026-12-04_1905_lesung.ts', 2, () => false)).toBe('2026-12-04_1905_lesung_teil-2.ts');
  });

  it('counts up taken part names', () => {
    const taken = new Set(['2026-12-04_1905_lesung_teil-3.ts']);

    expect(partFileName('2026-12-04_1905_lesung.ts', 3, (name) => taken.has(name))).toBe('2026-12-04_1905_lesung_teil-3-2.ts');
  });
});
