import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A decoded picture, scaled down, as RGB bytes. */
export type Frame = { width: number; height: number; rgb: Buffer };

/** Decodes the first video frame of a file or URL, scaled to the given size. */
export async function decodeFirstFrame(input: string, width = 128, height = 72): Promise<Frame> {
  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', input, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', timeout: 20_000, maxBuffer: width * height * 3 + 1024 },
  );

  if (stdout.length !== width * height * 3) throw new Error(`decoded ${stdout.length} bytes from ${input}, not one ${width}x${height} frame`);

  return { width, height, rgb: stdout };
}

/** The colour at a point given as fractions of the width and height. */
export function colorAt(frame: Frame, x: number, y: number): [number, number, number] {
  const column = Math.min(frame.width - 1, Math.round(x * frame.width));
  const row = Math.min(frame.height - 1, Math.round(y * frame.height));
  const offset = (row * frame.width + column) * 3;

  return [frame.rgb[offset]!, frame.rgb[offset + 1]!, frame.rgb[offset + 2]!];
}

/** Names a colour roughly: red, green, blue, black, white or other. */
export function colorName([r, g, b]: [number, number, number]): string {
  if (r < 50 && g < 50 && b < 50) return 'black';
  if (r > 200 && g > 200 && b > 200) return 'white';
  if (r > 160 && g < 80 && b < 80) return 'red';
  if (g > 100 && r < 80 && b < 80) return 'green';
  if (b > 160 && r < 80 && g < 80) return 'blue';

  return 'other';
}
