import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import type { ViscaReply } from './visca-replies.js';
import { ViscaUdpTransport, type ViscaUdpFraming } from './visca-udp-transport.js';

const logger = createLogger('silent');

/** Packets of camera address 1. */
const PAN_LEFT_12 = [0x81, 0x01, 0x06, 0x01, 0x0c, 0x0c, 0x01, 0x03, 0xff];
const PAN_RIGHT_12 = [0x81, 0x01, 0x06, 0x01, 0x0c, 0x0c, 0x02, 0x03, 0xff];
const TILT_UP_12 = [0x81, 0x01, 0x06, 0x01, 0x0c, 0x0c, 0x03, 0x01, 0xff];
const STOP = [0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff];
const HOME = [0x81, 0x01, 0x06, 0x04, 0xff];
const ZOOM_IN = [0x81, 0x01, 0x04, 0x07, 0x02, 0xff];
const ZOOM_STOP = [0x81, 0x01, 0x04, 0x07, 0x00, 0xff];

/** Builds the datagram of a packet in Sony's framing: type 0x0100, length, sequence number, packet. */
function sonyDatagram(sequenceNumber: number, packet: number[]): number[] {
  const header = Buffer.alloc(8);

  header.writeUInt16BE(0x0100, 0);
  header.writeUInt16BE(packet.length, 2);
  header.writeUInt32BE(sequenceNumber, 4);

  return [...header, ...packet];
}

/** A VISCA camera on 127.0.0.1 that records every datagram and replies only when a test calls reply(). */
class FakeUdpCamera {
  readonly datagrams: number[][] = [];
  readonly socket = dgram.createSocket('udp4');
  #waiters: { count: number; resolve: () => void }[] = [];
  #client: dgram.RemoteInfo | undefined;

  async listen(): Promise<number> {
    this.socket.on('message', (datagram, remote) => {
      this.#client = remote;
      this.datagrams.push([...datagram]);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (this.datagrams.length < waiter.count) return true;
        waiter.resolve();

        return false;
      });
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));

    return this.socket.address().port;
  }

  /** Resolves once count datagrams have arrived in all. The test's timeout bounds the wait. */
  received(count: number): Promise<number[][]> {
    if (this.datagrams.length >= count) return Promise.resolve(this.datagrams);

    return new Promise((resolve) => this.#waiters.push({ count, resolve: () => resolve(this.datagrams) }));
  }

  reply(bytes: number[]): void {
    const client = this.#client;

    if (!client) throw new Error('the fake camera has received nothing to reply to');
    this.socket.send(Buffer.from(bytes), client.port, client.address);
  }

  close(): void {
    this.socket.close();
  }
}

let camera: FakeUdpCamera;
let driver: ViscaUdpTransport | undefined;

async function openDriver(framing: ViscaUdpFraming, extra: { onReply?: (reply: ViscaReply) => void } = {}) {
  const port = await camera.listen();

  driver = await ViscaUdpTransport.open({ host: '127.0.0.1', port, framing, address: 1, logger, ...extra });

  return driver;
}

beforeEach(() => {
  camera = new FakeUdpCamera();
});

afterEach(() => {
  vi.useRealTimers();
  driver?.close();
  driver = undefined;
  camera.close();
});

describe('ViscaUdpTransport stop on release', () => {
  it('sends stop after unanswered move, sony header', async () => {
    const udp = await openDriver('sony-header');

    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.stop();

    expect(await camera.received(2)).toEqual([sonyDatagram(1, PAN_LEFT_12), sonyDatagram(2, STOP)]);
  });

  it('sends stop after unanswered move, raw', async () => {
    const udp = await openDriver('raw');

    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.stop();

    expect(await camera.received(2)).toEqual([PAN_LEFT_12, STOP]);
  });

  it('numbers every datagram in order', async () => {
    const udp = await openDriver('sony-header');

    await udp.zoom(1);
    await udp.move({ pan: 0, tilt: 1, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.stop();
    await udp.zoom(0);
    await udp.home();

    expect(await camera.received(5)).toEqual([
      sonyDatagram(1, ZOOM_IN),
      sonyDatagram(2, TILT_UP_12),
      sonyDatagram(3, STOP),
      sonyDatagram(4, ZOOM_STOP),
      sonyDatagram(5, HOME),
    ]);
  });

  it('sends stop for each release', async () => {
    const udp = await openDriver('raw');

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    for (let press = 0; press < 3; press += 1) {
      await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
      await udp.stop();
    }

    // The moves after the first wait for the 100 ms interval, and each stop drops its move.
    expect(await camera.received(4)).toEqual([PAN_RIGHT_12, STOP, STOP, STOP]);
  });

  it('stop leaves within 250 ms of release', async () => {
    const udp = await openDriver('sony-header');

    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await camera.received(1);

    const released = performance.now();

    void udp.stop();
    await camera.received(2);

    expect(performance.now() - released).toBeLessThan(250);
  });
});

describe('ViscaUdpTransport rate limit', () => {
  /** Fakes only the timer functions and Date, so that socket I/O still runs. */
  function useFakeClock(): void {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  }

  it('coalesces moves within interval', async () => {
    const udp = await openDriver('sony-header');

    useFakeClock();
    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await vi.advanceTimersByTimeAsync(10);
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await vi.advanceTimersByTimeAsync(10);
    await udp.move({ pan: 0, tilt: 1, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await vi.advanceTimersByTimeAsync(79);
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(0);

    // Home goes out at once, so it arrives after everything sent before it.
    await udp.home();

    expect(await camera.received(3)).toEqual([
      sonyDatagram(1, PAN_LEFT_12),
      sonyDatagram(2, TILT_UP_12),
      sonyDatagram(3, HOME),
    ]);
  });

  it('sends move after interval at once', async () => {
    const udp = await openDriver('raw');

    useFakeClock();
    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await vi.advanceTimersByTimeAsync(100);
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });

    expect(vi.getTimerCount()).toBe(0);
    expect(await camera.received(2)).toEqual([PAN_LEFT_12, PAN_RIGHT_12]);
  });

  it('stop cancels pending move', async () => {
    const udp = await openDriver('raw');

    useFakeClock();
    await udp.move({ pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    expect(vi.getTimerCount()).toBe(1);

    await udp.stop();
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(500);
    await udp.home();

    expect(await camera.received(3)).toEqual([PAN_LEFT_12, STOP, HOME]);
  });

  it('paces moves after stop', async () => {
    const udp = await openDriver('raw');

    useFakeClock();
    await udp.stop();
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(100);

    expect(await camera.received(2)).toEqual([STOP, PAN_RIGHT_12]);
  });

  it('skips repeat of running move', async () => {
    const udp = await openDriver('raw');

    useFakeClock();
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await vi.advanceTimersByTimeAsync(150);
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.zoom(0);

    expect(await camera.received(2)).toEqual([PAN_RIGHT_12, ZOOM_STOP]);
  });

  it('paces zoom separately from moves', async () => {
    const udp = await openDriver('raw');

    useFakeClock();
    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    await udp.zoom(1);

    expect(vi.getTimerCount()).toBe(0);
    expect(await camera.received(2)).toEqual([PAN_RIGHT_12, ZOOM_IN]);
  });
});

describe('ViscaUdpTransport replies and errors', () => {
  it('parses ACK and completion', async () => {
    const replies: ViscaReply[] = [];
    const udp = await openDriver('sony-header', { onReply: (reply) => replies.push(reply) });

    await udp.home();
    await camera.received(1);
    camera.reply([0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x90, 0x41, 0xff]);
    camera.reply([0x01, 0x11, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x90, 0x51, 0xff]);
    await vi.waitFor(() => expect(replies).toHaveLength(2));

    expect(replies[0]).toEqual({ kind: 'ack', address: 1, socket: 1, bytes: [0x90, 0x41, 0xff] });
    expect(replies[1]).toEqual({ kind: 'completion', address: 1, socket: 1, bytes: [0x90, 0x51, 0xff] });
  });

  it('parses raw error reply', async () => {
    const replies: ViscaReply[] = [];
    const udp = await openDriver('raw', { onReply: (reply) => replies.push(reply) });

    await udp.recallPreset(3);
    await camera.received(1);
    camera.reply([0x90, 0x41, 0xff, 0x90, 0x62, 0x41, 0xff]);
    await vi.waitFor(() => expect(replies).toHaveLength(2));

    expect(replies[1]).toEqual({
      kind: 'error',
      address: 1,
      socket: 2,
      code: 0x41,
      description: 'command not executable',
      bytes: [0x90, 0x62, 0x41, 0xff],
    });
  });

  it('emits error when camera port is closed', async () => {
    const unused = dgram.createSocket('udp4');

    await new Promise<void>((resolve) => unused.bind(0, '127.0.0.1', resolve));

    const closedPort = unused.address().port;

    await new Promise<void>((resolve) => unused.close(resolve));

    const udp = await ViscaUdpTransport.open({ host: '127.0.0.1', port: closedPort, framing: 'raw', address: 1, logger });
    const events: string[] = [];

    driver = udp;
    udp.on('error', (error) => events.push(`error: ${error.message}`));
    udp.on('close', (reason) => events.push(`close: ${reason}`));
    // Linux reports the ICMP port unreachable of the first datagram on the connected socket.
    await udp.home().catch(() => undefined);
    await udp.home().catch(() => undefined);
    await vi.waitFor(() => expect(events).toContain('close: device-gone'));

    expect(events[0]).toMatch(/^error: VISCA over UDP 127\.0\.0\.1:\d+ \(raw\) failed and is treated as gone: .*ECONNREFUSED/);
    expect(events).toHaveLength(2);
    expect(udp.closed).toBe(true);
  });

  it('close stops running move', async () => {
    const udp = await openDriver('raw');

    await udp.move({ pan: 1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });
    udp.close();

    expect(await camera.received(2)).toEqual([PAN_RIGHT_12, STOP]);
  });

  it('rejects commands after close', async () => {
    const udp = await openDriver('raw');

    udp.close();

    await expect(udp.stop()).rejects.toThrow('PTZ camera "VISCA over UDP 127.0.0.1:' + udp.port + ' (raw)" is closed');
  });

  it('rejects address outside 1-7', async () => {
    await camera.listen();

    await expect(ViscaUdpTransport.open({ host: '127.0.0.1', framing: 'raw', address: 8, logger })).rejects.toThrow(
      'VISCA camera address must be an integer from 1 to 7, got 8',
    );
  });

  it('uses default port of framing', async () => {
    await camera.listen();
    driver = await ViscaUdpTransport.open({ host: '127.0.0.1', framing: 'sony-header', address: 1, logger });

    expect(driver.port).toBe(52381);
  });
});
