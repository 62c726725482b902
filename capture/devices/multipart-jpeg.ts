/**
 * Splits the output of ffmpeg's mpjpeg muxer into JPEG pictures. Each part
 * is "--ffmpeg", headers with Content-length, a blank line, and the picture
 * (libavformat/mpjpeg.c), so no JPEG bytes need to be searched for markers.
 * A part without Content-length, or longer than MAX_PICTURE_BYTES, is skipped.
 */
/** The largest picture kept; a 320-pixel preview JPEG is about 10 kB. */
const MAX_PICTURE_BYTES = 4 * 1024 * 1024;

export class MultipartJpegReader {
  #buffer = Buffer.alloc(0);

  /** Adds output and returns every picture it completes. */
  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);

    const pictures: Buffer[] = [];

    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');

      if (headerEnd < 0) {
        // Output without part headers is no mpjpeg stream; drop it instead of buffering it forever.
        if (this.#buffer.length > MAX_PICTURE_BYTES) this.#buffer = Buffer.alloc(0);
        break;
      }

      const headers = this.#buffer.subarray(0, headerEnd).toString('latin1');
      const length = /Content-length: (\d+)/i.exec(headers);
      const start = headerEnd + 4;

      // The reader runs in a stream handler, where a throw would end Podium, so a bad part is skipped.
      if (!length || Number(length[1]) > MAX_PICTURE_BYTES) {
        this.#buffer = this.#buffer.subarray(start);
        continue;
      }

      const end = start + Number(length[1]);

      if (this.#buffer.length < end) break;
      pictures.push(Buffer.from(this.#buffer.subarray(start, end)));
      this.#buffer = this.#buffer.subarray(end);
    }

    return pictures;
  }
}
