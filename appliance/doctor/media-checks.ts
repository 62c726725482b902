import * as mediasoup from 'mediasoup';
import { resolveFfmpegPath } from '../process/ffmpeg.js';
import type { Supervisor } from '../process/supervisor.js';
import { fail, ok, type CheckResult } from './check.js';

/** Encoders of Podium's ffmpeg command lines: camera video (libx264), WebRTC audio (libopus), HLS audio (aac). */
const REQUIRED_ENCODERS = ['libx264', 'libopus', 'aac'];

/** Checks that ffmpeg runs and has every encoder Podium uses. */
export async function checkFfmpeg(supervisor: Supervisor): Promise<CheckResult> {
  const name = 'ffmpeg';
  let path: string;

  try {
    path = resolveFfmpegPath();
  } catch (error) {
    return fail(name, (error as Error).message, 'apt-get install ffmpeg');
  }

  let listing: string;

  try {
    const result = await supervisor.run({
      name: 'ffmpeg-encoders',
      command: path,
      args: ['-hide_banner', '-encoders'],
      quiet: true,
    });

    listing = result.stdout;
  } catch (error) {
    return fail(name, `${path} does not run: ${(error as Error).message}`, 'reinstall it: apt-get install --reinstall ffmpeg');
  }

  const missing = REQUIRED_ENCODERS.filter((encoder) => !new RegExp(`^ \\S+ ${encoder}\\s`, 'm').test(listing));

  if (missing.length > 0) {
    return fail(
      name,
      `${path} lacks the encoders ${missing.join(', ')}`,
      "use Debian's ffmpeg (apt-get install ffmpeg), or point FFMPEG_PATH at a build with them",
    );
  }

  return ok(name, `${path} with ${REQUIRED_ENCODERS.join(', ')}`);
}

/** Starts a mediasoup worker and closes it again. */
export async function checkSfuWorker(): Promise<CheckResult> {
  const name = 'SFU worker';

  try {
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    const pid = worker.pid;

    worker.close();

    return ok(name, `mediasoup ${mediasoup.version} worker started (pid ${pid})`);
  } catch (error) {
    return fail(
      name,
      `the mediasoup worker does not start: ${(error as Error).message}`,
      'run scripts/setup.sh and scripts/install.sh again; they provide the worker in /opt/podium/node_modules/mediasoup',
    );
  }
}
