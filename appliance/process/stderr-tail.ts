/**
 * ffmpeg 5.1 warns on every frame it scales into the full-range pixel
 * formats of its JPEG encoder (the setup screen's previews). Kept, these
 * lines would push every useful line out of the tail.
 */
const HARMLESS_WARNING = /deprecated pixel format used, make sure you did set range correctly/;

/**
 * Keeps the last lines a child process wrote to stderr, with secrets removed,
 * so that exit logs and error reasons can quote them.
 */
export class StderrTail {
  readonly #maxLines: number;
  readonly #lines: string[] = [];
  readonly #consumeLine: ((line: string) => boolean) | undefined;
  readonly #secrets: string[];
  #partial = '';

  /**
   * consumeLine receives every complete line first. A line for which it
   * returns true is data for the caller, such as level readings, and is not
   * kept in the tail.
   */
  constructor(maxLines = 12, consumeLine?: (line: string) => boolean, secrets: string[] = []) {
    this.#maxLines = maxLines;
    this.#consumeLine = consumeLine;
    this.#secrets = secrets.filter((secret) => secret !== '');
  }

  /** Appends a chunk of output; incomplete last lines wait for the next chunk. */
  push(chunk: string): void {
    const text = this.#partial + chunk;
    const parts = text.split(/\r?\n|\r/);

    this.#partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '' || this.#consumeLine?.(line) || HARMLESS_WARNING.test(line)) continue;
      this.#add(line);
    }
  }

  /** Returns the kept lines, oldest first, including an unfinished last line. */
  lines(): string[] {
    const all = [...this.#lines];

    if (this.#partial.trim() !== '') all.push(redactSecrets(this.#partial, this.#secrets));

    return all.slice(-this.#maxLines);
  }

  #add(line: string): void {
    this.#lines.push(redactSecrets(line, this.#secrets));
    if (this.#lines.length > this.#maxLines) this.#lines.shift();
  }
}

/**
 * Replaces credentials with "***": each of the given secrets, the user information of URLs
 * (user:password@), query parameters whose name contains key, token, pass,
 * secret or streamid, and the stream key in the path of RTMP URLs
 * (rtmp://host/app/KEY).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let known = text;

  // Known secrets first, wherever they stand: a key may sit where no pattern expects it.
  for (const secret of secrets) if (secret !== '') known = known.split(secret).join('***');

  return known
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/gi, '$1***@')
    .replace(/(\brtmps?:\/\/[^/\s]+\/[^/\s]+\/)[^\s?&]+/gi, '$1***')
    .replace(/([\w-]*(?:key|token|pass|secret|streamid)[\w-]*=)([^&\s]+)/gi, '$1***');
}
