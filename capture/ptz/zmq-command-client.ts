import { connect, type Socket } from 'node:net';

/** ZMTP 3.0 greeting of a client with the NULL mechanism (64 bytes, RFC 23). */
function greeting(): Buffer {
  const bytes = Buffer.alloc(64);

  bytes[0] = 0xff;
  bytes[9] = 0x7f;
  bytes[10] = 3;
  bytes[11] = 0;
  bytes.write('NULL', 12, 'ascii');

  return bytes;
}

function frame(flags: number, body: Buffer): Buffer {
  if (body.length > 255) throw new RangeError(`ZMTP frame of ${body.length} bytes; this client sends short frames only`);

  return Buffer.concat([Buffer.from([flags, body.length]), body]);
}

/** The READY command announcing a REQ socket, the peer type of ffmpeg's zmq filter (REP). */
function readyCommand(): Buffer {
  const name = Buffer.from('READY');
  const property = Buffer.from('Socket-Type');
  const value = Buffer.from('REQ');
  const valueLength = Buffer.alloc(4);

  valueLength.writeUInt32BE(value.length);

  return frame(0x04, Buffer.concat([Buffer.from([name.length]), name, Buffer.from([property.length]), property, valueLength, value]));
}

/**
 * Reads ZMTP frames from a byte stream: skips the peer's 64-byte greeting and
 * its commands, and returns the body of the first message frame after the
 * empty delimiter of a REP reply.
 */
class ReplyReader {
  #buffer = Buffer.alloc(0);
  #greetingSeen = false;

  push(chunk: Buffer): string | undefined {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#greetingSeen) {
      if (this.#buffer.length < 64) return undefined;
      this.#buffer = this.#buffer.subarray(64);
      this.#greetingSeen = true;
    }
    while (this.#buffer.length >= 2) {
      const flags = this.#buffer[0]!;
      const long = (flags & 0x02) !== 0;
      const headerLength = long ? 9 : 2;

      if (this.#buffer.length < headerLength) return undefined;

      const size = long ? Number(this.#buffer.readBigUInt64BE(1)) : this.#buffer[1]!;

      if (this.#buffer.length < headerLength + size) return undefined;

      const body = this.#buffer.subarray(headerLength, headerLength + size);

      this.#buffer = this.#buffer.subarray(headerLength + size);
      // Commands (READY) and the empty delimiter carry no reply text.
      if ((flags & 0x04) !== 0 || size === 0) continue;

      return body.toString('utf8');
    }

    return undefined;
  }
}

/**
 * Sends one command to ffmpeg's zmq filter, such as "crop@ptz x 640", and
 * returns its reply ("0 Success", or an error code and text). It speaks just
 * enough ZMTP 3.0 (NULL mechanism, REQ socket) for that exchange, over a new
 * loopback TCP connection per command.
 */
export function sendZmqCommand(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const reader = new ReplyReader();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from ffmpeg's zmq filter on port ${port} within ${timeoutMs} ms to "${command}"`));
    }, timeoutMs);

    socket.on('connect', () => {
      socket.write(greeting());
      socket.write(readyCommand());
      socket.write(Buffer.concat([frame(0x01, Buffer.alloc(0)), frame(0x00, Buffer.from(command))]));
    });
    socket.on('data', (chunk: Buffer) => {
      const reply = reader.push(chunk);

      if (reply === undefined) return;
      clearTimeout(timer);
      socket.end();
      resolve(reply);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach ffmpeg's zmq filter on port ${port}: ${error.message}`));
    });
  });
}
