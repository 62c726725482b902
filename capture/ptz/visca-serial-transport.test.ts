import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { startPtyPair } from '../../test/helpers/pty-pair.js';
import type { ViscaReply } from './visca-replies.js';
import { openSerialPort, ViscaSerialTransport } from './visca-serial-transport.js';

const logger = createLogger('silent');

const PAN_LEFT_12 = [0x81, 0x01, 0x06, 0x01, 0x0c, 0x0c, 0x01, 0x03, 0xff];
const STOP = [0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff];
const HOME_ADDRESS_2 = [0x82, 0x01, 0x06, 0x04, 0xff];

/** Collects what arrives at the camera's end of the line. */
class LineRecorder {
  bytes: number[] = [];
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.bytes.push(...chunk);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (this.bytes.length < waiter.count) return true;
        waiter.resolve();

        return false;
      });
    });
  }

  /** Resolves once count bytes have arrived in all. The test's timeout bounds the wait. */
  received(count: number): Promise<number[]> {
    if (this.bytes.length >= count) return Promise.resolve(this.bytes);

    return new Promise((resolve) => this.#waiters.push({ count, resolve: () => resolve(this.bytes) }));
  }
}

describe('ViscaSerialTransport on a pseudo-terminal', () => {
  let socat: ChildProcess;
  let paths: [string, string];
  let driverPort: Duplex;
  let cameraPort: Duplex;
  let camera: LineRecorder;
  let driver: ViscaSerialTransport;
  const replies: ViscaReply[] = [];

  beforeAll(async () => {
    ({ socat, paths } = await startPtyPair());
    driverPort = await openSerialPort(paths[0]);
    cameraPort = await openSerialPort(paths[1]);
    camera = new LineRecorder(cameraPort);
    driver = new ViscaSerialTransport({
      port: driverPort,
      path: paths[0],
      address: 1,
      logger,
      onReply: (reply) => replies.push(reply),
    });
  });

  afterAll(() => {
    driver?.close();
    cameraPort?.destroy();
    socat?.kill();
  });

  it('writes move then stop bytes', async () => {
    await driver.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await driver.stop();

    expect(await camera.received(18)).toEqual([...PAN_LEFT_12, ...STOP]);
  });

  it('parses reply written by camera', async () => {
    cameraPort.write(Buffer.from([0x90, 0x41, 0xff, 0x90, 0x51]));
    cameraPort.write(Buffer.from([0xff]));
    await vi.waitFor(() => expect(replies).toHaveLength(2));

    expect(replies[0]).toEqual({ kind: 'ack', address: 1, socket: 1, bytes: [0x90, 0x41, 0xff] });
    expect(replies[1]).toEqual({ kind: 'completion', address: 1, socket: 1, bytes: [0x90, 0x51, 0xff] });
  });
});

describe('ViscaSerialTransport on a stream', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends stop before pending move', async () => {
    const line = new PassThrough();
    const written: number[] = [];
    const driver = new ViscaSerialTransport({ port: line, path: 'test', address: 1, logger });

    line.on('data', (chunk: Buffer) => written.push(...chunk));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    await driver.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await driver.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await driver.stop();
    await vi.advanceTimersByTimeAsync(500);

    expect(written).toEqual([...PAN_LEFT_12, ...STOP]);
    driver.close();
  });

  it('uses configured address', async () => {
    const line = new PassThrough();
    const written: number[] = [];
    const driver = new ViscaSerialTransport({ port: line, path: 'test', address: 2, logger });

    line.on('data', (chunk: Buffer) => written.push(...chunk));
    await driver.home();

    expect(written).toEqual(HOME_ADDRESS_2);
    driver.close();
  });

  it('stream error closes driver', () => {
    const line = new PassThrough();
    const driver = new ViscaSerialTransport({ port: line, path: '/dev/ttyUSB9', address: 1, logger });
    const events: string[] = [];

    driver.on('error', (error) => events.push(`error: ${error.message}`));
    driver.on('close', (reason) => events.push(`close: ${reason}`));
    line.destroy(new Error('EIO: i/o error, read'));

    return vi.waitFor(() =>
      expect(events).toEqual([
        'error: VISCA over serial /dev/ttyUSB9 failed and is treated as gone: EIO: i/o error, read',
        'close: device-gone',
      ]),
    );
  });
});

describe('openSerialPort', () => {
  it('rejects missing device', async () => {
    await expect(openSerialPort('/dev/ttyUSB-podium-missing')).rejects.toThrow(
      /^cannot open serial port \/dev\/ttyUSB-podium-missing: ENOENT/,
    );
  });

  it('rejects non-terminal file', async () => {
    await expect(openSerialPort('/dev/null')).rejects.toThrow(
      'cannot use /dev/null as a serial port: it is not a terminal device',
    );
  });
});
