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

/** Builds the READY command that announces a REQ socket, the peer type of ffmpeg's zmq filter (REP). */
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
  /** True once the peer's READY command has arrived: the handshake is complete. */
  ready = false;

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
      if ((flags & 0x04) !== 0) {
        if (body.subarray(1, 6).toString('ascii') === 'READY') this.ready = true;
        continue;
      }
      if (size === 0) continue;

      return body.toString('utf8');
    }

    return undefined;
  }
}

type Pending = { command: string; resolve: (reply: string) => void; reject: (error: Error) => void };

/**
 * Sends commands to ffmpeg's zmq filter, such as "v360@ptz yaw 10.5", and
 * returns each reply ("0 Success", or an error code and text). It speaks just
 * enough ZMTP 3.0 (NULL mechanism, REQ socket) over one loopback TCP
 * connection, one request at a time as REQ demands. The filter takes one
 * command per video frame, so a command costs about one frame time. A
 * timeout or error drops the connection; the next command connects again.
 */
export class ZmqCommandClient {
  readonly #port: number;
  readonly #timeoutMs: number;
  readonly #queue: Pending[] = [];
  #socket: Socket | undefined;
  #reader = new ReplyReader();
  #inFlight: (Pending & { timer: NodeJS.Timeout }) | undefined;
  #closed = false;

  constructor(port: number, timeoutMs = 2000) {
    this.#port = port;
    this.#timeoutMs = timeoutMs;
  }

  send(command: string): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('the zmq command client is closed'));

    return new Promise((resolve, reject) => {
      this.#queue.push({ command, resolve, reject });
      this.#next();
    });
  }

  close(): void {
    this.#closed = true;
    this.#drop(new Error('the zmq command client is closed'));
    for (const pending of this.#queue.splice(0)) pending.reject(new Error('the zmq command client is closed'));
  }

  #next(): void {
    if (this.#inFlight || this.#closed) return;

    const pending = this.#queue.shift();

    if (!pending) return;

    const socket = this.#socket ?? this.#connect();
    const timer = setTimeout(() => {
      this.#drop(
        new Error(`no reply from ffmpeg's zmq filter on port ${this.#port} within ${this.#timeoutMs} ms to "${pending.command}"`),
      );
    }, this.#timeoutMs);

    this.#inFlight = { ...pending, timer };
    // The first request waits for the handshake; ffmpeg's libzmq may drop one sent before it.
    if (this.#reader.ready) this.#writeRequest(socket, pending.command);
  }

  #writeRequest(socket: Socket, command: string): void {
    socket.write(Buffer.concat([frame(0x01, Buffer.alloc(0)), frame(0x00, Buffer.from(command))]));
  }

  #connect(): Socket {
    const socket = connect(this.#port, '127.0.0.1');

    this.#socket = socket;
    this.#reader = new ReplyReader();
    socket.write(greeting());
    socket.write(readyCommand());
    socket.on('data', (chunk: Buffer) => {
      const wasReady = this.#reader.ready;
      const reply = this.#reader.push(chunk);
      const inFlight = this.#inFlight;

      if (!wasReady && this.#reader.ready && inFlight && this.#socket === socket) this.#writeRequest(socket, inFlight.command);

      if (reply === undefined || !inFlight || this.#socket !== socket) return;
      clearTimeout(inFlight.timer);
      this.#inFlight = undefined;
      inFlight.resolve(reply);
      this.#next();
    });
    socket.on('error', (error) => {
      if (this.#socket === socket) this.#drop(new Error(`cannot reach ffmpeg's zmq filter on port ${this.#port}: ${error.message}`));
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#drop(new Error(`ffmpeg's zmq filter on port ${this.#port} closed the connection`));
    });

    return socket;
  }

  /** Fails the request in flight and drops the connection; queued commands go out on a new one. */
  #drop(error: Error): void {
    const inFlight = this.#inFlight;

    this.#inFlight = undefined;
    this.#socket?.destroy();
    this.#socket = undefined;
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.reject(error);
    }
    if (!this.#closed) this.#next();
  }
}

/** Sends one command over a connection of its own, for checks and tests. */
export async function sendZmqCommand(port: number, command: string, timeoutMs = 2000): Promise<string> {
  const client = new ZmqCommandClient(port, timeoutMs);

  try {
    return await client.send(command);
  } finally {
    client.close();
  }
}
