const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
const MAX_SLUG_LENGTH = 60;

/** Returns the title as lower-case ASCII words joined by hyphens, such as "lesung-mit-juergen-becker". */
export function titleSlug(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[äöüß]/g, (letter) => UMLAUTS[letter]!)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');

  return slug || 'veranstaltung';
}

/**
 * Returns the file name of a new recording: the local date and time, then the
 * event title, such as "2026-12-04_1930_lesung.ts". A name that is taken gets
 * a counter ("…_lesung-2.ts").
 */
export function recordingFileName(title: string, at: Date, taken: (name: string) => boolean): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp =
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}_` + `${pad(at.getHours())}${pad(at.getMinutes())}`;
  const base = `${stamp}_${titleSlug(title)}`;
  let name = `${base}.ts`;

  for (let counter = 2; taken(name); counter += 1) name = `${base}-${counter}.ts`;

  return name;
}

/**
 * Returns the file name of a recording's next part: the first part's name
 * with the part number, such as "2026-12-04_1930_lesung_teil-2.ts".
 */
export function partFileName(firstFileName: string, part: number, taken: (name: string) => boolean): string {
  const base = `${firstFileName.replace(/\.ts$/, '')}_teil-${part}`;
  let name = `${base}.ts`;

  for (let counter = 2; taken(name); counter += 1) name = `${base}-${counter}.ts`;

  return name;
}
