/** Returns the p-th percentile (0 to 100) of the values, by the nearest-rank method; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;

  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);

  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1]!;
}

/** Rounds to one decimal, for report values. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
