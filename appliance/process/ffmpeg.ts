import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Ffmpeg from 'fluent-ffmpeg';

const SYSTEM_FFMPEG = '/usr/bin/ffmpeg';

/**
 * Returns the ffmpeg binary to run: FFMPEG_PATH when set, else the system's
 * ffmpeg (the one the tests exercise), else the binary of the optional
 * ffmpeg-static package.
 */
export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FFMPEG_PATH) return env.FFMPEG_PATH;
  if (existsSync(SYSTEM_FFMPEG)) return SYSTEM_FFMPEG;

  try {
    const require = createRequire(import.meta.url);
    const staticPath = require('ffmpeg-static') as string | null;

    if (staticPath && existsSync(staticPath)) return staticPath;
  } catch {
    // ffmpeg-static is optional and its install fails without internet access.
  }
  throw new Error(
    'ffmpeg not found: install Debian\'s ffmpeg package (scripts/setup.sh does) or set FFMPEG_PATH',
  );
}

type CommandWithArguments = Ffmpeg.FfmpegCommand & { _getArguments(): string[] };

/**
 * Returns the argument list of a fluent-ffmpeg command, with the global
 * options Podium always wants in front: no banner, no keyboard, no progress
 * lines, and warnings only unless a filter prints data at the info level.
 * globalOptions go in front of the inputs, such as -progress.
 * fluent-ffmpeg only builds the command line; the supervisor runs it.
 */
export function ffmpegArguments(
  command: Ffmpeg.FfmpegCommand,
  logLevel: 'warning' | 'info' = 'warning',
  globalOptions: string[] = [],
): string[] {
  const args = (command as CommandWithArguments)._getArguments();

  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', logLevel, ...globalOptions, ...args];
}
