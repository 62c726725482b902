import { open } from 'node:fs/promises';

const PACKET_BYTES = 188;
/** Bytes of a segment read to find its first video PTS: a keyframe's PES header comes within the first packets. */
const READ_BYTES = PACKET_BYTES * 512;

/**
 * Returns the PTS (90 kHz, 33 bits) of the first video PES packet in an
 * MPEG-TS buffer, or undefined when the buffer has none. Video PES packets
 * carry stream ids 0xE0 to 0xEF (ISO/IEC 13818-1, 2.4.3.7).
 */
export function firstVideoPts(data: Buffer): number | undefined {
  for (let offset = 0; offset + PACKET_BYTES <= data.length; offset += PACKET_BYTES) {
    if (data[offset] !== 0x47) continue;

    const payloadStart = (data[offset + 1]! & 0x40) !== 0;
    const adaptation = (data[offset + 3]! >> 4) & 0x03;

    if (!payloadStart || (adaptation & 0x01) === 0) continue;

    const payload = offset + 4 + ((adaptation & 0x02) !== 0 ? 1 + data[offset + 4]! : 0);
    const isPes = data[payload] === 0 && data[payload + 1] === 0 && data[payload + 2] === 1;
    const streamId = data[payload + 3]!;

    if (!isPes || streamId < 0xe0 || streamId > 0xef || (data[payload + 7]! & 0x80) === 0) continue;

    const pts = data.subarray(payload + 9, payload + 14);

    return (
      ((pts[0]! >> 1) & 0x07) * 2 ** 30 +
      pts[1]! * 2 ** 22 +
      (pts[2]! >> 1) * 2 ** 15 +
      pts[3]! * 2 ** 7 +
      (pts[4]! >> 1)
    );
  }

  return undefined;
}

/** Reads the first video PTS of an MPEG-TS segment file. */
export async function segmentStartPts(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');

  try {
    const buffer = Buffer.alloc(READ_BYTES);
    const { bytesRead } = await file.read(buffer, 0, READ_BYTES, 0);

    return firstVideoPts(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
