import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../appliance/log.js';
import { parseV4l2ControlValues, uvcCapabilities } from './uvc-controls.js';
import { parseV4l2Controls, UvcTransport, uvcControlArgs, type RunCommand } from './uvc-transport.js';

const logger = createLogger('silent');
const C920_LISTING = readFileSync(
  fileURLToPath(new URL('../../test/fixtures/devices/v4l2-formats-logitech-c920.txt', import.meta.url)),
  'utf8',
);

/**
 * Speed and absolute controls in v4l2-ctl's format, made up for tests: no
 * recorded listing of a camera with pan_speed, tilt_speed or zoom_continuous
 * was at hand.
 */
const SPEED_LISTING = [
  '                   pan_absolute 0x009a0908 (int)    : min=-36000 max=36000 step=3600 default=0 value=7200',
  '                  tilt_absolute 0x009a0909 (int)    : min=-36000 max=36000 step=3600 default=0 value=-3600',
  '                      pan_speed 0x009a0920 (int)    : min=-8 max=8 step=1 default=0 value=0',
  '                     tilt_speed 0x009a0921 (int)    : min=-6 max=6 step=1 default=0 value=0',
  '                  zoom_absolute 0x009a090d (int)    : min=100 max=500 step=1 default=100 value=100',
  '                zoom_continuous 0x009a090f (int)    : min=-7 max=7 step=1 default=0 value=0',
].join('\n');

/** A runCommand that records each argument list. Runs finish at once unless hold() was called. */
class FakeV4l2Ctl {
  readonly calls: string[][] = [];
  readonly #outputs = new Map<string, string>();
  #held: (() => void)[] = [];
  #holding = false;
  #nextCode = 0;

  constructor(listing: string) {
    this.#outputs.set('--list-ctrls', listing);
  }

  readonly run: RunCommand = async (args) => {
    this.calls.push(args);
    if (this.#holding) await new Promise<void>((resolve) => this.#held.push(resolve));

    const code = this.#nextCode;
    const option = args[2] ?? '';

    this.#nextCode = 0;

    return { code, stdout: this.#outputs.get(option.startsWith('--get-ctrl') ? '--get-ctrl' : option) ?? '' };
  };

  /** Sets the standard output of the next --get-ctrl runs. */
  setGetOutput(stdout: string): void {
    this.#outputs.set('--get-ctrl', stdout);
  }

  failNextRun(code: number): void {
    this.#nextCode = code;
  }

  /** Keeps every following run open until release(). */
  hold(): void {
    this.#holding = true;
  }

  /** Ends the held runs one at a time until none is left, and stops holding. */
  async release(): Promise<void> {
    this.#holding = false;
    while (this.#held.length > 0) {
      this.#held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The --set-ctrl and --get-ctrl options of every run after the listing. */
  get controlOptions(): string[] {
    return this.calls.slice(1).map((args) => args[2] ?? '');
  }
}

async function openUvc(listing: string) {
  const v4l2 = new FakeV4l2Ctl(listing);
  const driver = await UvcTransport.open({ device: '/dev/video0', runCommand: v4l2.run, logger });
  const events: string[] = [];

  driver.on('error', (error) => events.push(`error: ${error.message}`));
  driver.on('close', (reason) => events.push(`close: ${reason}`));

  return { driver, v4l2, events };
}

describe('uvcControlArgs', () => {
  it('lists controls', () => {
    expect(uvcControlArgs('/dev/video0', { kind: 'list-controls' })).toEqual(['-d', '/dev/video0', '--list-ctrls']);
  });

  it('drives pan and tilt', () => {
    expect(uvcControlArgs('/dev/video2', { kind: 'drive', panSpeed: -4, tiltSpeed: 3 })).toEqual([
      '-d',
      '/dev/video2',
      '--set-ctrl=pan_speed=-4,tilt_speed=3',
    ]);
  });

  it('drives pan only', () => {
    expect(uvcControlArgs('/dev/video0', { kind: 'drive', panSpeed: 0 })).toEqual([
      '-d',
      '/dev/video0',
      '--set-ctrl=pan_speed=0',
    ]);
  });

  it('zooms continuously', () => {
    expect(uvcControlArgs('/dev/video0', { kind: 'zoom', speed: -2 })).toEqual([
      '-d',
      '/dev/video0',
      '--set-ctrl=zoom_continuous=-2',
    ]);
  });

  it('sets absolute position', () => {
    const position = { pan_absolute: 3600, tilt_absolute: -7200, zoom_absolute: 250 };

    expect(uvcControlArgs('/dev/video0', { kind: 'set-position', position })).toEqual([
      '-d',
      '/dev/video0',
      '--set-ctrl=pan_absolute=3600,tilt_absolute=-7200,zoom_absolute=250',
    ]);
  });

  it('gets absolute position', () => {
    const controls = ['pan_absolute', 'tilt_absolute', 'zoom_absolute'] as const;

    expect(uvcControlArgs('/dev/video0', { kind: 'get-position', controls })).toEqual([
      '-d',
      '/dev/video0',
      '--get-ctrl=pan_absolute,tilt_absolute,zoom_absolute',
    ]);
  });

  it('rejects request without values', () => {
    expect(() => uvcControlArgs('/dev/video0', { kind: 'drive' })).toThrow(
      'a v4l2-ctl --set-ctrl request needs at least one control value',
    );
  });

  it('rejects fractional value', () => {
    expect(() => uvcControlArgs('/dev/video0', { kind: 'zoom', speed: 1.5 })).toThrow(
      'zoom speed must be an integer, got 1.5',
    );
  });
});

describe('parseV4l2Controls with C920 listing', () => {
  const controls = parseV4l2Controls(C920_LISTING);

  it('finds absolute pan, tilt and zoom', () => {
    expect(controls.get('pan_absolute')).toEqual({
      name: 'pan_absolute',
      type: 'int',
      min: -36000,
      max: 36000,
      step: 3600,
      default: 0,
      value: 0,
    });
    expect(controls.get('tilt_absolute')?.max).toBe(36000);
    expect(controls.get('zoom_absolute')).toMatchObject({ min: 100, max: 500, step: 1, default: 100 });
  });

  it('finds no speed controls', () => {
    expect(controls.has('pan_speed')).toBe(false);
    expect(controls.has('tilt_speed')).toBe(false);
    expect(controls.has('zoom_continuous')).toBe(false);
  });

  it('skips bool and menu controls', () => {
    expect(controls.has('white_balance_automatic')).toBe(false);
    expect(controls.has('power_line_frequency')).toBe(false);
    expect(controls.get('brightness')?.max).toBe(255);
  });

  it('offers home and presets only', () => {
    const capabilities = uvcCapabilities(controls, { min: 1, max: 16 });

    expect(capabilities.commands).toEqual(['home', 'presetRecall', 'presetSave']);
    expect(capabilities.panSpeed).toBeUndefined();
    expect(capabilities.presets).toEqual({ min: 1, max: 16 });
  });
});

describe('parseV4l2ControlValues', () => {
  it('reads get-ctrl lines', () => {
    const values = parseV4l2ControlValues('pan_absolute: -3600\ntilt_absolute: 0\nzoom_absolute: 120\n');

    expect([...values]).toEqual([
      ['pan_absolute', -3600],
      ['tilt_absolute', 0],
      ['zoom_absolute', 120],
    ]);
  });
});

describe('UvcTransport with C920', () => {
  it('lists controls on open', async () => {
    const { v4l2 } = await openUvc(C920_LISTING);

    expect(v4l2.calls).toEqual([['-d', '/dev/video0', '--list-ctrls']]);
  });

  it('rejects pan without speed control', async () => {
    const { driver, v4l2 } = await openUvc(C920_LISTING);

    await expect(driver.move({ pan: 1, tilt: 0 })).rejects.toThrow(
      new TypeError('pan is not supported by camera profile "UVC camera /dev/video0"'),
    );
    await expect(driver.zoom(1)).rejects.toThrow(TypeError);
    expect(v4l2.calls).toHaveLength(1);
  });

  it('stop runs nothing', async () => {
    const { driver, v4l2 } = await openUvc(C920_LISTING);

    await driver.stop();

    expect(v4l2.calls).toHaveLength(1);
  });

  it('homes to default pan and tilt', async () => {
    const { driver, v4l2 } = await openUvc(C920_LISTING);

    await driver.home();

    expect(v4l2.calls.at(-1)).toEqual(['-d', '/dev/video0', '--set-ctrl=pan_absolute=0,tilt_absolute=0']);
  });

  it('saves and recalls preset', async () => {
    const { driver, v4l2 } = await openUvc(C920_LISTING);

    v4l2.setGetOutput('pan_absolute: 7200\ntilt_absolute: -3600\nzoom_absolute: 150\n');
    await driver.savePreset(3);
    await driver.recallPreset(3);

    expect(v4l2.controlOptions).toEqual([
      '--get-ctrl=pan_absolute,tilt_absolute,zoom_absolute',
      '--set-ctrl=pan_absolute=7200,tilt_absolute=-3600,zoom_absolute=150',
    ]);
  });

  it('recalls restored preset', async () => {
    const { driver, v4l2 } = await openUvc(C920_LISTING);

    v4l2.setGetOutput('pan_absolute: 7200\ntilt_absolute: -3600\nzoom_absolute: 150\n');
    await driver.savePreset(3);

    const stored = driver.presetPosition(3)!;
    const restarted = (await openUvc(C920_LISTING)).driver;

    restarted.restorePresetPosition(3, { ...stored, focus_absolute: 5 });

    expect(restarted.presetPosition(3)).toEqual({ pan_absolute: 7200, tilt_absolute: -3600, zoom_absolute: 150 });
    await restarted.recallPreset(3);
  });

  it('rejects recall of unsaved preset', async () => {
    const { driver } = await openUvc(C920_LISTING);

    await expect(driver.recallPreset(2)).rejects.toThrow(
      'preset 2 of UVC camera /dev/video0 has not been saved since Podium started',
    );
  });

  it('rejects save with missing value', async () => {
    const { driver } = await openUvc(C920_LISTING);

    await expect(driver.savePreset(1)).rejects.toThrow(
      'v4l2-ctl --get-ctrl output of /dev/video0 has no value for pan_absolute',
    );
  });

  it('rejects preset outside range', async () => {
    const { driver } = await openUvc(C920_LISTING);

    await expect(driver.savePreset(17)).rejects.toThrow(RangeError);
  });
});

describe('UvcTransport with speed controls', () => {
  it('drives with signed speeds', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    await driver.move({ pan: -1, tilt: 1, panSpeed: 5, tiltSpeed: 99 });
    await driver.move({ pan: 1, tilt: 0 });

    expect(v4l2.controlOptions).toEqual([
      '--set-ctrl=pan_speed=-5,tilt_speed=6',
      '--set-ctrl=pan_speed=5,tilt_speed=0',
    ]);
  });

  it('offers speeds from controls', async () => {
    const { driver } = await openUvc(SPEED_LISTING);

    expect(driver.capabilities.commands).toEqual(['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave']);
    expect(driver.capabilities.panSpeed).toEqual({ min: 1, max: 8 });
    expect(driver.capabilities.tiltSpeed).toEqual({ min: 1, max: 6 });
  });

  it('stops with zero speeds', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    await driver.stop();

    expect(v4l2.calls.at(-1)).toEqual(['-d', '/dev/video0', '--set-ctrl=pan_speed=0,tilt_speed=0']);
  });

  it('zooms and stops zoom', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    await driver.zoom(-1);
    await driver.zoom(0);

    expect(v4l2.controlOptions).toEqual(['--set-ctrl=zoom_continuous=-4', '--set-ctrl=zoom_continuous=0']);
  });

  it('coalesces moves behind running one', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    v4l2.hold();

    const first = driver.move({ pan: -1, tilt: 0, panSpeed: 1 });
    const second = driver.move({ pan: -1, tilt: 0, panSpeed: 2 });
    const third = driver.move({ pan: -1, tilt: 0, panSpeed: 3 });

    await second;
    await v4l2.release();
    await Promise.all([first, third]);

    expect(v4l2.controlOptions).toEqual(['--set-ctrl=pan_speed=-1,tilt_speed=0', '--set-ctrl=pan_speed=-3,tilt_speed=0']);
  });

  it('stop drops queued move', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    v4l2.hold();

    const moves = [driver.move({ pan: 1, tilt: 0, panSpeed: 1 }), driver.move({ pan: 1, tilt: 0, panSpeed: 2 })];
    const stopped = driver.stop();

    await v4l2.release();
    await Promise.all([...moves, stopped]);

    expect(v4l2.controlOptions).toEqual(['--set-ctrl=pan_speed=1,tilt_speed=0', '--set-ctrl=pan_speed=0,tilt_speed=0']);
  });

  it('stop goes before queued home', async () => {
    const { driver, v4l2 } = await openUvc(SPEED_LISTING);

    v4l2.hold();

    const zoomed = driver.zoom(1);
    const homed = driver.home();
    const stopped = driver.stop();

    await v4l2.release();
    await Promise.all([zoomed, homed, stopped]);

    expect(v4l2.controlOptions).toEqual([
      '--set-ctrl=zoom_continuous=4',
      '--set-ctrl=pan_speed=0,tilt_speed=0',
      '--set-ctrl=pan_absolute=0,tilt_absolute=0',
    ]);
  });

  it('close stops running move', async () => {
    const { driver, v4l2, events } = await openUvc(SPEED_LISTING);

    await driver.move({ pan: 0, tilt: -1, tiltSpeed: 2 });
    driver.close();
    await v4l2.release();

    expect(v4l2.controlOptions).toEqual(['--set-ctrl=pan_speed=0,tilt_speed=-2', '--set-ctrl=pan_speed=0,tilt_speed=0']);
    expect(events).toEqual(['close: closed']);
  });

  it('failed run emits error and closes', async () => {
    const { driver, v4l2, events } = await openUvc(SPEED_LISTING);

    v4l2.failNextRun(255);

    await expect(driver.move({ pan: 1, tilt: 0, panSpeed: 8 })).rejects.toThrow(/v4l2-ctl exited with code 255$/);
    expect(events).toEqual([
      'error: UVC camera /dev/video0 failed and is treated as gone: ' +
        'v4l2-ctl -d /dev/video0 --set-ctrl=pan_speed=8,tilt_speed=0: v4l2-ctl exited with code 255',
      'close: device-gone',
    ]);
    expect(driver.closed).toBe(true);
  });
});

describe('UvcTransport open', () => {
  it('rejects failed listing', async () => {
    const runCommand: RunCommand = async () => ({ code: 1, stdout: '' });

    await expect(UvcTransport.open({ device: '/dev/video9', runCommand, logger })).rejects.toThrow(
      'cannot list the V4L2 controls of /dev/video9: v4l2-ctl exited with code 1',
    );
  });
});
