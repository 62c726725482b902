/**
 * The capture time code of the built-in test picture: a row of black and
 * white blocks in the top left corner that carries the wall-clock time at
 * which the capture drew the frame, in milliseconds. A viewer on the same
 * machine reads it from a decoded frame and subtracts it from its own clock
 * to measure glass-to-glass latency (the latency benchmark does this).
 *
 * The layout is in pixels of the capture size. A black strip at (x, y)
 * contains a white and a black block as reference levels, then one block per
 * bit, most significant first, white for 1.
 */
export const TIME_CODE = {
  x: 16,
  y: 16,
  /** Edge of one block; 16 keeps each block on whole macroblocks at 720p and 8 pixels at 360p. */
  block: 16,
  /** Bits of the time in ms: 2^20 ms is about 17 minutes, far more than any latency measured. */
  bits: 20,
} as const;

/** Blocks in the row: the two reference blocks and the bits. */
export const TIME_CODE_BLOCKS = TIME_CODE.bits + 2;

/**
 * Returns the drawbox filters that draw the time code into 1280x720 or any
 * other size. The bits are the Gray code of floor(time(0) * 1000) mod 2^bits,
 * where time(0) is ffmpeg's wall clock when the filter draws the frame. The
 * boxes read the clock a few microseconds apart, so a millisecond may turn
 * between two of them. A Gray code changes one bit per step, so the frame
 * still carries one of the two times.
 */
export function timeCodeFilter(): string {
  const { x, y, block, bits } = TIME_CODE;
  const box = (index: number, color: string) =>
    `drawbox=x=${x + index * block}:y=${y}:w=${block}:h=${block}:color=${color}:t=fill`;
  const filters = [
    // A margin of half a block around the row, so the picture under it does not blur into the blocks.
    `drawbox=x=${x - block / 2}:y=${y - block / 2}:w=${(TIME_CODE_BLOCKS + 1) * block}:h=${2 * block}:color=black:t=fill`,
    box(0, 'white'),
  ];

  for (let bit = bits - 1; bit >= 0; bit--) {
    const index = 2 + (bits - 1 - bit);
    // Bit k of the Gray code is bit k of the binary value XOR bit k + 1. The
    // clock is read once into variable 0, so both bits come from one time.
    const grayBit =
      `st(0,mod(floor(time(0)*1000),${2 ** bits}));` +
      `mod(floor(ld(0)/${2 ** bit})+floor(ld(0)/${2 ** (bit + 1)}),2)`;

    filters.push(`${box(index, 'white')}:enable='${grayBit}'`);
  }

  return filters.join(',');
}

/**
 * Returns the brightness at the centre of each block of a grayscale frame
 * (one byte a pixel) of the given width, whose picture is scale times the
 * size the time code was drawn at.
 */
export function timeCodeLevels(gray: Uint8Array, width: number, scale = 1): number[] {
  return Array.from({ length: TIME_CODE_BLOCKS }, (_, index) => {
    const x = Math.round((TIME_CODE.x + index * TIME_CODE.block + TIME_CODE.block / 2) * scale);
    const y = Math.round((TIME_CODE.y + TIME_CODE.block / 2) * scale);

    return gray[y * width + x]!;
  });
}

/**
 * Decodes the time code from the brightness (0 to 255) of the blocks'
 * centres, in row order. Returns the time in ms mod 2^bits, or undefined
 * when the reference blocks are not white and black (no time code in view).
 * It refers to nothing outside itself, so a browser can run its source text.
 */
export function decodeTimeCode(levels: number[], bits: number): number | undefined {
  const white = levels[0]!;
  const black = levels[1]!;

  if (levels.length !== bits + 2 || white < 160 || black > 90) return undefined;

  const threshold = (white + black) / 2;
  let gray = 0;

  for (let index = 2; index < levels.length; index++) gray = gray * 2 + (levels[index]! > threshold ? 1 : 0);

  let binary = gray;

  for (let shift = 1; shift < bits; shift *= 2) binary ^= binary >> shift;

  return binary;
}

/** Returns how many ms lie between a time code and a later wall-clock time, across the wrap at 2^bits. */
export function timeCodeAge(code: number, nowMs: number, bits: number): number {
  const modulus = 2 ** bits;

  return (((nowMs - code) % modulus) + modulus) % modulus;
}
