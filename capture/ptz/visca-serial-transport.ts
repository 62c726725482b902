import fs from 'node:fs';
import { Duplex } from 'node:stream';
import tty from 'node:tty';
import { ViscaDriver, type ViscaDriverOptions } from './visca-driver.js';
import { parseViscaReply, ViscaReplyReader } from './visca-replies.js';

export type ViscaSerialTransportOptions = Omit<ViscaDriverOptions, 'name'> & {
  /** The open serial line, for example from openSerialPort(), a pseudo-terminal in tests, or a PassThrough. */
  port: Duplex;
  /** The device path, for logs and messages, such as "/dev/ttyUSB0". */
  path: string;
};

/**
 * A PTZ camera driven by VISCA over a serial line (RS-232 or RS-422, often a
 * USB adapter at /dev/ttyUSB0). The transport writes packets to the stream
 * and splits what it reads into replies at each 0xFF terminator. It never
 * waits for a reply, so a stop goes out right after the bytes written before it.
 *
 * NOTE: the line settings are not set here. VISCA's default is 9600 baud, 8 data
 * bits, no parity, 1 stop bit, set on site with
 * `stty -F /dev/ttyUSB0 9600 cs8 -cstopb -parenb raw`. The transport sends no
 * VISCA address set broadcast (88 30 01 FF), so the camera must already have
 * the configured address.
 */
export class ViscaSerialTransport extends ViscaDriver {
  readonly path: string;
  readonly #port: Duplex;
  readonly #reader = new ViscaReplyReader();

  constructor(options: ViscaSerialTransportOptions) {
    super({ ...options, name: `VISCA over serial ${options.path}` });
    this.path = options.path;
    this.#port = options.port;
    this.#port.on('data', (chunk: Buffer) => {
      for (const packet of this.#reader.push(chunk)) this.handleReply(parseViscaReply(packet));
    });
    this.#port.on('error', (error) => this.fail(error));
    this.#port.on('close', () => this.fail(new Error('the serial port closed')));
    this.logger.info({ address: options.address }, 'PTZ camera opened');
  }

  protected sendPacket(packet: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#port.write(packet, (error) => (error ? reject(error) : resolve()));
    });
  }

  protected releaseLink(): void {
    this.#port.end(() => this.#port.destroy());
  }
}

/**
 * Opens a serial device such as /dev/ttyUSB0 for reading and writing and
 * returns it as one Duplex stream. The device is opened twice with node:fs
 * (read-only and write-only, both with O_NOCTTY so it cannot become Podium's
 * controlling terminal), and each descriptor gets its own node:tty stream,
 * which reads without blocking a thread-pool thread. Destroying the Duplex
 * closes both. Rejects for a path that cannot be opened or is not a terminal
 * device.
 *
 * NOTE: the line settings are not changed here. Set them on site with
 * `stty -F /dev/ttyUSB0 9600 cs8 -cstopb -parenb raw` (VISCA's default 9600 8N1).
 */
export async function openSerialPort(path: string): Promise<Duplex> {
  const { O_RDONLY, O_WRONLY, O_NOCTTY } = fs.constants;
  const readFd = await openFd(path, O_RDONLY | O_NOCTTY);
  let writeFd: number;

  try {
    writeFd = await openFd(path, O_WRONLY | O_NOCTTY);
  } catch (error) {
    fs.closeSync(readFd);
    throw error;
  }
  if (!tty.isatty(readFd)) {
    fs.closeSync(readFd);
    fs.closeSync(writeFd);
    throw new Error(`cannot use ${path} as a serial port: it is not a terminal device`);
  }

  return new SerialPortStream(new tty.ReadStream(readFd), new tty.WriteStream(writeFd));
}

/** One Duplex over the read and write streams of a serial device. Destroying it destroys both. */
class SerialPortStream extends Duplex {
  readonly #readable: tty.ReadStream;
  readonly #writable: tty.WriteStream;

  constructor(readable: tty.ReadStream, writable: tty.WriteStream) {
    super();
    this.#readable = readable;
    this.#writable = writable;
    readable.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) readable.pause();
    });
    readable.on('end', () => this.push(null));
    readable.on('error', (error) => this.destroy(error));
    writable.on('error', (error) => this.destroy(error));
  }

  override _read(): void {
    this.#readable.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writable.write(chunk, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#readable.destroy();
    this.#writable.destroy();
    callback(error);
  }
}

function openFd(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(path, flags, (error, fd) => {
      if (error) {
        reject(new Error(`cannot open serial port ${path}: ${error.message}`, { cause: error }));
      } else {
        resolve(fd);
      }
    });
  });
}
