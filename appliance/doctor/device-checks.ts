import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { PodiumConfig } from '../config/schema.js';
import { fail, ok, type CheckResult } from './check.js';

/** Checks that a device node exists and that this user may read and write it. */
async function checkDeviceNode(name: string, path: string, key: string, group: string): Promise<CheckResult> {
  try {
    await access(path, constants.F_OK);
  } catch {
    return fail(name, `${path} not found`, `plug the device in, or set ${key} to a present device (ls /dev/v4l/by-id /dev/serial/by-id)`);
  }
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch {
    return fail(
      name,
      `${path} is not readable and writable by this user`,
      `add the service user to group ${group} (usermod -a -G ${group} podium) and run the doctor as that user: sudo -u podium podium doctor`,
    );
  }

  return ok(name, `${path} present and readable`);
}

/** Returns the ALSA card id of a device name such as plughw:CARD=Mic,DEV=0, if it has one. */
function alsaCardId(device: string): string | undefined {
  return /CARD=([^,]+)/.exec(device)?.[1];
}

async function checkMicrophone(device: string): Promise<CheckResult> {
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

  return checkDeviceNode(name, '/dev/snd/timer', 'venue.audio.device', 'audio');
}

/** Checks the capture devices and the PTZ control device that the configuration names. */
export async function checkDevices(config: PodiumConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const { video, audio } = config.venue;

  if (video.source === 'v4l2') {
    results.push(await checkDeviceNode(`Camera ${video.device}`, video.device, 'venue.video.device', 'video'));
  } else {
    results.push(ok('Camera', 'the built-in test picture (venue.video.source: test-pattern)'));
  }
  if (audio.source === 'alsa') results.push(await checkMicrophone(audio.device));
  else results.push(ok('Microphone', 'the built-in test tone (venue.audio.source: test-tone)'));

  if (config.ptz.camera === 'visca-serial') {
    results.push(await checkDeviceNode('PTZ serial adapter', config.ptz.viscaSerial.device, 'ptz.viscaSerial.device', 'dialout'));
  } else if (config.ptz.camera === 'uvc') {
    results.push(await checkDeviceNode('PTZ camera (UVC)', config.ptz.uvc.device, 'ptz.uvc.device', 'video'));
  }

  return results;
}
