/**
 * Splits the output of ffmpeg's mpjpeg muxer into JPEG pictures. Each part
 * is "--ffmpeg", headers with Content-length, a blank line, and the picture
 * (libavformat/mpjpeg.c), so no JPEG bytes need to be searched for markers.
 */
export class MultipartJpegReader {
  #buffer = Buffer.alloc(0);

  /** Adds output and returns every picture it completes. */
  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);

    const pictures: Buffer[] = [];

    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');

      if (headerEnd < 0) break;

      const headers = this.#buffer.subarray(0, headerEnd).toString('latin1');
      const length = /Content-length: (\d+)/i.exec(headers);

      if (!length) throw new Error(`Invalid mpjpeg part: no Content-length in "${headers.slice(0, 200)}"`);

      const start = headerEnd + 4;
      const end = start + Number(length[1]);

      if (this.#buffer.length < end) break;
      pictures.push(Buffer.from(this.#buffer.subarray(start, end)));
      this.#buffer = this.#buffer.subarray(end);
    }

    return pictures;
  }
}
