/** Formats a level in dBFS with one decimal in a locale: "-23,4 dBFS" in German, "-23.4 dBFS" in English. */
export function formatDecibels(db: number, locale: string): string {
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(db);

  return `${number} dBFS`;
}
