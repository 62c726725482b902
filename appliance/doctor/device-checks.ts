import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { PodiumConfig } from '../config/schema.js';
import type { Supervisor } from '../process/supervisor.js';
import { fail, ok, type CheckResult } from './check.js';

/** The user the device checks act as, and its test of read and write access to a path. */
export type DeviceAccess = { user: string; mayReadWrite: (path: string) => Promise<boolean> };

/** Tests access as the user running the doctor. */
export const ownAccess = (user: string): DeviceAccess => ({
  user,
  mayReadWrite: async (path) => {
    try {
      await access(path, constants.R_OK | constants.W_OK);

      return true;
    } catch {
      return false;
    }
  },
});

/** Tests access as another user (the service user, when the doctor runs as root) with runuser and test. */
export const userAccess = (user: string, supervisor: Supervisor): DeviceAccess => ({
  user,
  mayReadWrite: async (path) => {
    try {
      await supervisor.run({
        name: 'runuser',
        command: '/usr/sbin/runuser',
        args: ['-u', user, '--', '/usr/bin/test', '-r', path, '-a', '-w', path],
        quiet: true,
      });

      return true;
    } catch {
      return false;
    }
  },
});

/** Checks that a device node exists and that the service user may read and write it. */
async function checkDeviceNode(
  name: string,
  path: string,
  deviceAccess: DeviceAccess,
  hints: { key: string; group: string },
): Promise<CheckResult> {
  try {
    await access(path, constants.F_OK);
  } catch {
    return fail(name, `${path} not found`, `plug the device in, or set ${hints.key} to a present device (ls /dev/v4l/by-id /dev/serial/by-id)`);
  }
  if (!(await deviceAccess.mayReadWrite(path))) {
    return fail(
      name,
      `${path} is not readable and writable by the user ${deviceAccess.user}`,
      `add the user to group ${hints.group} (usermod -a -G ${hints.group} ${deviceAccess.user}), then systemctl restart podium`,
    );
  }

  return ok(name, `${path} present, readable and writable by ${deviceAccess.user}`);
}

/** Returns the ALSA card id of a device name such as plughw:CARD=Mic,DEV=0, if it has one. */
function alsaCardId(device: string): string | undefined {
  return /CARD=([^,]+)/.exec(device)?.[1];
}

async function checkMicrophone(device: string, deviceAccess: DeviceAccess): Promise<CheckResult> {
  const name = `Microphone ${device}`;
  const card = alsaCardId(device);
  let cards = '';

  try {
    cards = await readFile('/proc/asound/cards', 'utf8');
  } catch {
    return fail(name, 'no sound cards (/proc/asound/cards missing)', 'plug the microphone in; check with arecord -l');
  }
  if (card && !cards.includes(`[${card}`)) {
    return fail(
      name,
      `ALSA card ${card} not found`,
      'plug the microphone in, or set venue.audio.device to a card listed by arecord -l, such as plughw:CARD=Mic,DEV=0',
    );
  }

  return checkDeviceNode(name, '/dev/snd/timer', deviceAccess, { key: 'venue.audio.device', group: 'audio' });
}

/** Checks that the named pipe of a raw-pipe source (tests and benchmarks) exists. */
async function checkPipe(name: string, path: string, key: string): Promise<CheckResult> {
  try {
    await access(path, constants.R_OK);

    return ok(`${name} ${path}`, 'named pipe present (raw-pipe source)');
  } catch {
    return fail(`${name} ${path}`, 'named pipe not found or not readable', `start the program that feeds it, or set ${key}`);
  }
}

/** Checks the capture devices and the PTZ control device that the configuration names. */
export async function checkDevices(config: PodiumConfig, deviceAccess: DeviceAccess): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const { video, audio } = config.venue;

  if (video.source === 'v4l2') {
    results.push(
      await checkDeviceNode(`Camera ${video.device}`, video.device, deviceAccess, { key: 'venue.video.device', group: 'video' }),
    );
  } else if (video.source === 'raw-pipe') {
    results.push(await checkPipe('Camera', video.pipe, 'venue.video.pipe'));
  } else {
    results.push(ok('Camera', 'the built-in test picture (venue.video.source: test-pattern)'));
  }
  if (audio.source === 'alsa') results.push(await checkMicrophone(audio.device, deviceAccess));
  else if (audio.source === 'raw-pipe') results.push(await checkPipe('Microphone', audio.pipe, 'venue.audio.pipe'));
  else results.push(ok('Microphone', 'the built-in test tone (venue.audio.source: test-tone)'));

  if (config.ptz.camera === 'visca-serial') {
    const { device } = config.ptz.viscaSerial;
    const hints = { key: 'ptz.viscaSerial.device', group: 'dialout' };

    results.push(await checkDeviceNode(`PTZ serial adapter ${device}`, device, deviceAccess, hints));
  } else if (config.ptz.camera === 'uvc') {
    const { device } = config.ptz.uvc;
    const hints = { key: 'ptz.uvc.device', group: 'video' };

    results.push(await checkDeviceNode(`PTZ camera (UVC) ${device}`, device, deviceAccess, hints));
  }

  return results;
}
