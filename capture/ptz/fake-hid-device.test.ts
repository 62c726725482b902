import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FakeHidDevice, FakeHidOpener } from './fake-hid-device.js';
import { loadProfile } from './hid-profile.js';

const PROFILE = loadProfile(fileURLToPath(new URL('./profiles/logitech-ptz-pro-2.json', import.meta.url)));

function report(head: number[]): number[] {
  return [...head, ...new Array<number>(32 - head.length).fill(0)];
}

describe('FakeHidDevice', () => {
  it('records reports as bytes', () => {
    const device = new FakeHidDevice(PROFILE);

    device.write(Buffer.from(report([0x0b, 0x03])));
    device.write(report([0x0b, 0x02]));

    expect(device.reports).toEqual([report([0x0b, 0x03]), report([0x0b, 0x02])]);
  });

  it('returns bytes written', () => {
    expect(new FakeHidDevice(PROFILE).write(report([0x0b]))).toBe(32);
  });

  it('rejects report of wrong length', () => {
    const device = new FakeHidDevice(PROFILE);

    expect(() => device.write([0x0b, 0x03])).toThrow(
      'report of 2 bytes written; camera profile "Logitech PTZ Pro 2 (vendor HID interface)" has reportLength 32',
    );
    expect(device.reports).toEqual([]);
  });

  it('throws on next write only', () => {
    const device = new FakeHidDevice(PROFILE);
    const error = new Error('unplugged');

    device.failNextWrite(error);

    expect(() => device.write(report([0x0b]))).toThrow(error);
    expect(device.write(report([0x0b]))).toBe(32);
    expect(device.reports).toHaveLength(1);
  });

  it('rejects write after close', () => {
    const device = new FakeHidDevice(PROFILE);

    device.close();

    expect(device.closed).toBe(true);
    expect(() => device.write(report([0x0b]))).toThrow('Cannot write to closed device');
  });

  it('emits device error', () => {
    const device = new FakeHidDevice(PROFILE);
    const errors: Error[] = [];

    device.on('error', (error) => errors.push(error));
    device.emitDeviceError(new Error('read failed'));

    expect(errors.map((error) => error.message)).toEqual(['read failed']);
  });
});

describe('FakeHidOpener', () => {
  it('keeps every opened device', () => {
    const opener = new FakeHidOpener();
    const first = opener.open(PROFILE);
    const second = opener.open(PROFILE);

    expect(opener.devices).toEqual([first, second]);
    expect(opener.last).toBe(second);
  });

  it('fails next open only', () => {
    const opener = new FakeHidOpener();

    opener.failNextOpen(new Error('no permission'));

    expect(() => opener.open(PROFILE)).toThrow('no permission');
    expect(opener.open(PROFILE).profile).toBe(PROFILE);
    expect(opener.devices).toHaveLength(1);
  });

  it('throws for last before open', () => {
    expect(() => new FakeHidOpener().last).toThrow('no fake HID device has been opened');
  });
});
