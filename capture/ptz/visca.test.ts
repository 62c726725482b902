import { describe, expect, it } from 'vitest';
import {
  viscaHome,
  viscaMemoryRecall,
  viscaMemorySet,
  viscaOverIpDatagram,
  viscaPanTiltDrive,
  viscaPanTiltStop,
  viscaRawDatagram,
  viscaZoom,
} from './visca.js';

function bytes(buffer: Buffer): number[] {
  return [...buffer];
}

describe('viscaPanTiltDrive', () => {
  it.each([
    ['up', 0, 1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x03, 0x01, 0xff]],
    ['down', 0, -1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x03, 0x02, 0xff]],
    ['left', -1, 0, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x01, 0x03, 0xff]],
    ['right', 1, 0, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x02, 0x03, 0xff]],
    ['up-left', -1, 1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x01, 0x01, 0xff]],
    ['up-right', 1, 1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x02, 0x01, 0xff]],
    ['down-left', -1, -1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x01, 0x02, 0xff]],
    ['down-right', 1, -1, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x02, 0x02, 0xff]],
    ['stop', 0, 0, [0x81, 0x01, 0x06, 0x01, 0x10, 0x08, 0x03, 0x03, 0xff]],
  ] as const)('drives %s', (_name, pan, tilt, expected) => {
    expect(bytes(viscaPanTiltDrive(1, { pan, tilt, panSpeed: 0x10, tiltSpeed: 0x08 }))).toEqual(expected);
  });

  it('clamps speeds to VISCA ranges', () => {
    const fast = viscaPanTiltDrive(1, { pan: 1, tilt: 1, panSpeed: 100, tiltSpeed: 100 });
    const slow = viscaPanTiltDrive(1, { pan: 1, tilt: 1, panSpeed: 0, tiltSpeed: -5 });

    expect(bytes(fast)).toEqual([0x81, 0x01, 0x06, 0x01, 0x18, 0x14, 0x02, 0x01, 0xff]);
    expect(bytes(slow)).toEqual([0x81, 0x01, 0x06, 0x01, 0x01, 0x01, 0x02, 0x01, 0xff]);
  });

  it('rounds fractional speeds', () => {
    expect(bytes(viscaPanTiltDrive(1, { pan: -1, tilt: 0, panSpeed: 4.6, tiltSpeed: 2.2 }))).toEqual([
      0x81, 0x01, 0x06, 0x01, 0x05, 0x02, 0x01, 0x03, 0xff,
    ]);
  });

  it('uses middle speeds by default', () => {
    expect(bytes(viscaPanTiltDrive(1, { pan: 1, tilt: 0 }))).toEqual([
      0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x02, 0x03, 0xff,
    ]);
  });

  it('puts address in header byte', () => {
    expect(viscaPanTiltDrive(7, { pan: 1, tilt: 0 })[0]).toBe(0x87);
    expect(viscaPanTiltDrive(3, { pan: 1, tilt: 0 })[0]).toBe(0x83);
  });

  it('rejects address outside 1-7', () => {
    expect(() => viscaPanTiltDrive(0, { pan: 1, tilt: 0 })).toThrow(RangeError);
    expect(() => viscaPanTiltDrive(8, { pan: 1, tilt: 0 })).toThrow(
      'VISCA camera address must be an integer from 1 to 7, got 8',
    );
    expect(() => viscaPanTiltDrive(1.5, { pan: 1, tilt: 0 })).toThrow(RangeError);
  });

  it('rejects non-finite speed', () => {
    expect(() => viscaPanTiltDrive(1, { pan: 1, tilt: 0, panSpeed: Number.NaN })).toThrow(
      'panSpeed must be a finite number, got NaN',
    );
  });

  it('rejects direction outside -1..1', () => {
    expect(() => viscaPanTiltDrive(1, { pan: 2 as never, tilt: 0 })).toThrow('pan direction must be -1, 0 or 1, got 2');
  });
});

describe('viscaPanTiltStop', () => {
  it('sends stop at default speeds', () => {
    expect(bytes(viscaPanTiltStop(2))).toEqual([0x82, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff]);
  });
});

describe('viscaZoom', () => {
  it('stops zoom', () => {
    expect(bytes(viscaZoom(1, 0))).toEqual([0x81, 0x01, 0x04, 0x07, 0x00, 0xff]);
  });

  it('zooms tele at standard speed', () => {
    expect(bytes(viscaZoom(1, 1))).toEqual([0x81, 0x01, 0x04, 0x07, 0x02, 0xff]);
  });

  it('zooms wide at standard speed', () => {
    expect(bytes(viscaZoom(1, -1))).toEqual([0x81, 0x01, 0x04, 0x07, 0x03, 0xff]);
  });

  it.each([
    [1, 0, 0x20],
    [1, 7, 0x27],
    [-1, 0, 0x30],
    [-1, 5, 0x35],
    [1, 9, 0x27],
    [-1, -1, 0x30],
  ] as const)('zooms direction %i at speed %i as byte %i', (direction, speed, byte) => {
    expect(bytes(viscaZoom(1, direction, speed))).toEqual([0x81, 0x01, 0x04, 0x07, byte, 0xff]);
  });

  it('ignores speed when stopping', () => {
    expect(bytes(viscaZoom(1, 0, 5))).toEqual([0x81, 0x01, 0x04, 0x07, 0x00, 0xff]);
  });
});

describe('viscaHome', () => {
  it('sends pan/tilt home', () => {
    expect(bytes(viscaHome(1))).toEqual([0x81, 0x01, 0x06, 0x04, 0xff]);
  });
});

describe('viscaMemoryRecall and viscaMemorySet', () => {
  it('recalls memory number', () => {
    expect(bytes(viscaMemoryRecall(1, 0))).toEqual([0x81, 0x01, 0x04, 0x3f, 0x02, 0x00, 0xff]);
    expect(bytes(viscaMemoryRecall(1, 127))).toEqual([0x81, 0x01, 0x04, 0x3f, 0x02, 0x7f, 0xff]);
  });

  it('sets memory number', () => {
    expect(bytes(viscaMemorySet(4, 12))).toEqual([0x84, 0x01, 0x04, 0x3f, 0x01, 0x0c, 0xff]);
  });

  it.each([-1, 128, 255, 1.5, Number.NaN])('rejects memory number %s', (memory) => {
    expect(() => viscaMemoryRecall(1, memory)).toThrow(RangeError);
    expect(() => viscaMemorySet(1, memory)).toThrow(RangeError);
  });

  it('names rejected value', () => {
    expect(() => viscaMemorySet(1, 128)).toThrow('VISCA memory number must be an integer from 0 to 127, got 128');
  });
});

describe('viscaRawDatagram', () => {
  it('carries packet as payload', () => {
    expect(bytes(viscaRawDatagram(viscaHome(1)))).toEqual([0x81, 0x01, 0x06, 0x04, 0xff]);
  });

  it('copies packet', () => {
    const packet = viscaHome(1);
    const datagram = viscaRawDatagram(packet);

    packet[0] = 0x82;

    expect(datagram[0]).toBe(0x81);
  });

  it('rejects packet without terminator', () => {
    expect(() => viscaRawDatagram(Buffer.from([0x81, 0x01, 0x06, 0x04]))).toThrow(
      'VISCA packet must end with the terminator 0xff',
    );
  });

  it('rejects packet without address header', () => {
    expect(() => viscaRawDatagram(Buffer.from([0x01, 0x06, 0x04, 0xff]))).toThrow(
      'VISCA command must start with 0x81 to 0x87, got 0x1',
    );
  });

  it('rejects packets shorter than 3 bytes', () => {
    expect(() => viscaRawDatagram(Buffer.from([0x81, 0xff]))).toThrow(RangeError);
  });

  it('rejects packets longer than 16 bytes', () => {
    expect(() => viscaRawDatagram(Buffer.from([0x81, ...new Array<number>(15).fill(0x01), 0xff]))).toThrow(
      'VISCA packet must be 3 to 16 bytes long, got 17',
    );
  });
});

describe('viscaOverIpDatagram', () => {
  it('frames pan/tilt drive', () => {
    const packet = viscaPanTiltDrive(1, { pan: -1, tilt: 0, panSpeed: 0x0c, tiltSpeed: 0x0c });

    expect(bytes(viscaOverIpDatagram(packet, 1))).toEqual([
      0x01, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x01,
      0x81, 0x01, 0x06, 0x01, 0x0c, 0x0c, 0x01, 0x03, 0xff,
    ]);
  });

  it('frames pan/tilt stop', () => {
    expect(bytes(viscaOverIpDatagram(viscaPanTiltStop(1), 2))).toEqual([
      0x01, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x02,
      0x81, 0x01, 0x06, 0x01, 0x0d, 0x0b, 0x03, 0x03, 0xff,
    ]);
  });

  it('frames zoom commands', () => {
    expect(bytes(viscaOverIpDatagram(viscaZoom(1, 1), 3))).toEqual([
      0x01, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x03, 0x81, 0x01, 0x04, 0x07, 0x02, 0xff,
    ]);
    expect(bytes(viscaOverIpDatagram(viscaZoom(1, -1, 4), 4))).toEqual([
      0x01, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x81, 0x01, 0x04, 0x07, 0x34, 0xff,
    ]);
    expect(bytes(viscaOverIpDatagram(viscaZoom(1, 0), 5))).toEqual([
      0x01, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x05, 0x81, 0x01, 0x04, 0x07, 0x00, 0xff,
    ]);
  });

  it('frames home', () => {
    expect(bytes(viscaOverIpDatagram(viscaHome(1), 6))).toEqual([
      0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x81, 0x01, 0x06, 0x04, 0xff,
    ]);
  });

  it('frames memory recall and set', () => {
    expect(bytes(viscaOverIpDatagram(viscaMemoryRecall(1, 5), 7))).toEqual([
      0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x07, 0x81, 0x01, 0x04, 0x3f, 0x02, 0x05, 0xff,
    ]);
    expect(bytes(viscaOverIpDatagram(viscaMemorySet(1, 5), 8))).toEqual([
      0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0x81, 0x01, 0x04, 0x3f, 0x01, 0x05, 0xff,
    ]);
  });

  it('writes sequence number big-endian', () => {
    const datagram = viscaOverIpDatagram(viscaHome(1), 0x12345678);

    expect(bytes(datagram.subarray(4, 8))).toEqual([0x12, 0x34, 0x56, 0x78]);
    expect(bytes(viscaOverIpDatagram(viscaHome(1), 0xffffffff).subarray(4, 8))).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('rejects sequence number outside 32 bits', () => {
    expect(() => viscaOverIpDatagram(viscaHome(1), 2 ** 32)).toThrow(RangeError);
    expect(() => viscaOverIpDatagram(viscaHome(1), -1)).toThrow(
      'VISCA-over-IP sequence number must be an integer from 0 to 4294967295, got -1',
    );
  });

  it('rejects malformed packet', () => {
    expect(() => viscaOverIpDatagram(Buffer.from([0x81, 0x01, 0x06, 0x04]), 1)).toThrow(RangeError);
  });
});
