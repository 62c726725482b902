import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ProbedStream = {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  has_b_frames?: number;
  sample_rate?: string;
};

/** Runs ffprobe on a file or URL and returns its streams. */
export async function probeStreams(input: string): Promise<ProbedStream[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', input], {
    timeout: 20_000,
  });

  return (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
}

/** Returns key_frame (1 or 0) of the first video frame of a file or URL. */
export async function firstVideoFrameIsKey(input: string): Promise<boolean> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#1', '-show_entries', 'frame=key_frame', '-of', 'json', input],
    { timeout: 20_000 },
  );
  const frames = (JSON.parse(stdout) as { frames: { key_frame: number }[] }).frames;

  return frames[0]?.key_frame === 1;
}

/** Returns the duration in seconds of a file, as ffprobe reads it from the container. */
export async function probeDuration(input: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', input], {
    timeout: 20_000,
  });

  return Number((JSON.parse(stdout) as { format: { duration: string } }).format.duration);
}
