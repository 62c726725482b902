import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import type { SupervisedProcess, Supervisor } from '../../appliance/process/supervisor.js';

/** The sample rate the capture reads the fake microphone at. */
const NOMINAL_RATE = 48000;

export type FakeVenueOptions = {
  /** Directory the two named pipes are made in. */
  dir: string;
  width: number;
  height: number;
  fps: number;
  /** How much faster the microphone's clock runs: 0.03 is 3% fast. */
  audioClockDrift: number;
};

export type FakeVenue = {
  videoPipe: string;
  audioPipe: string;
  process: SupervisedProcess;
};

/** Returns the samples the fake microphone delivers per second of wall-clock time. */
export function fastMicrophoneRate(audioClockDrift: number): number {
  return Math.round(NOMINAL_RATE * (1 + audioClockDrift));
}

/**
 * Builds the arguments of the fake venue: one ffmpeg that paces in real time
 * (-re on both inputs, timed from the same start) and so puts the same hall
 * events on both devices. At each full second the picture is white for
 * 100 ms and the microphone hears a 1 kHz beep for 100 ms; the rest is black
 * and silent. The PCM is generated at (1 + drift) x 48000 samples per real
 * second while the capture reads it as 48 kHz, which is what a microphone
 * with a fast clock delivers.
 */
export function buildFakeVenueArgs(options: FakeVenueOptions, videoPipe: string, audioPipe: string): string[] {
  const { width, height, fps } = options;
  const picture =
    `color=c=black:size=${width}x${height}:rate=${fps},` +
    "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t,1),0.1)'";
  const sound =
    "aevalsrc='if(lt(mod(t,1),0.1),0.5*sin(2*PI*1000*t),0)'" +
    `:s=${fastMicrophoneRate(options.audioClockDrift)}:c=mono`;

  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', picture,
    '-re', '-f', 'lavfi', '-i', sound,
    '-map', '0:v', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-y', videoPipe,
    '-map', '1:a', '-f', 's16le', '-y', audioPipe,
  ];
}

/**
 * Makes the two named pipes and starts the fake venue under the supervisor.
 * Its ffmpeg blocks on opening each pipe until a capture opens it for
 * reading, so the captures can start before or after it.
 */
export function startFakeVenue(supervisor: Supervisor, options: FakeVenueOptions): FakeVenue {
  const videoPipe = join(options.dir, 'venue-video.fifo');
  const audioPipe = join(options.dir, 'venue-audio.fifo');

  execFileSync('mkfifo', ['-m', '0600', videoPipe, audioPipe]);

  const process = supervisor.start({
    name: 'fake-venue',
    command: resolveFfmpegPath(),
    args: buildFakeVenueArgs(options, videoPipe, audioPipe),
  });

  return { videoPipe, audioPipe, process };
}
