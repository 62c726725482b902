import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { MultipartJpegReader } from './multipart-jpeg.js';

function part(body: string): Buffer {
  return Buffer.from(`--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: ${body.length}\r\n\r\n${body}\r\n`, 'latin1');
}

describe('MultipartJpegReader', () => {
  it('splits parts across chunks', () => {
    const reader = new MultipartJpegReader();
    const stream = Buffer.concat([part('first picture'), part('second\r\n\r\npicture')]);
    const pictures = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));

    expect(pictures.map((picture) => picture.toString('latin1'))).toEqual(['first picture', 'second\r\n\r\npicture']);
  });

  it('skips a part without length', () => {
    const reader = new MultipartJpegReader();
    const broken = Buffer.from('--ffmpeg\r\nContent-type: image/jpeg\r\n\r\n', 'latin1');
    const pictures = reader.push(Buffer.concat([broken, part('next')]));

    expect(pictures.map((picture) => picture.toString('latin1'))).toEqual(['next']);
  });

  it('reads ffmpeg mpjpeg output', () => {
    const result = spawnSync(
      resolveFfmpegPath(),
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=5:duration=1', '-c:v', 'mjpeg', '-f', 'mpjpeg', '-'],
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const pictures = new MultipartJpegReader().push(result.stdout);

    expect(result.status).toBe(0);
    expect(pictures).toHaveLength(5);
    for (const picture of pictures) {
      expect(picture.subarray(0, 2).toString('hex')).toBe('ffd8');
      expect(picture.subarray(-2).toString('hex')).toBe('ffd9');
    }
  });
});
