/** -1 for left, down or out, 0 for stop, and 1 for right, up or in. */
export type Direction = -1 | 0 | 1;

/** A range of integers, both ends included. */
export type IntegerRange = { min: number; max: number };

/** Throws a RangeError unless the direction is -1, 0 or 1. */
export function checkDirection(name: string, value: unknown): asserts value is Direction {
  if (value !== -1 && value !== 0 && value !== 1) {
    throw new RangeError(`${name} direction must be -1, 0 or 1, got ${String(value)}`);
  }
}

/** Throws a RangeError unless the value is an integer inside the range. */
export function checkInteger(name: string, value: number, range: IntegerRange): void {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new RangeError(`${name} must be an integer from ${range.min} to ${range.max}, got ${String(value)}`);
  }
}

/** Returns the value rounded and limited to the range. Throws a TypeError for a value that is not a finite number. */
export function clampSpeed(name: string, value: number, range: IntegerRange): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number, got ${String(value)}`);
  }

  return Math.min(range.max, Math.max(range.min, Math.round(value)));
}

/** Returns the integer nearest the middle of the range, the speed used when a move gives none. */
export function middleOf(range: IntegerRange): number {
  return Math.round((range.min + range.max) / 2);
}
