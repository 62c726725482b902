import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { decodeTimeCode, TIME_CODE, timeCodeAge, timeCodeLevels } from '../capture/time-code.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { readFrames, timedFrames } from './watch-sampler.js';

const run = promisify(execFile);

/** A viewer whose newest frame was displayed at most this long ago receives the live pipeline. */
const STEADY_AGE_MS = 2000;
/** A recovery that takes longer than this counts as failed. */
export const RECOVERY_TIMEOUT_MS = 60_000;

/**
 * Times from one fault, in ms, until the viewer and the HLS playlist have
 * pictures captured after it, and the viewer's latency just before the fault.
 */
export type Recovery = {
  fault: string;
  webRtcMs: number;
  hlsMs: number;
  latencyBeforeMs: number;
  /** The watch page's playback path before the fault and once it recovered, such as "webrtc -> hls". */
  playback?: string;
};

/** Returns the watch page's playback path: webrtc, hls, connecting or none. */
export async function playbackMode(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document
        .querySelector('podium-watch-page')
        ?.shadowRoot?.querySelector('[data-testid="playback-mode"]')
        ?.getAttribute('data-mode') ?? 'none',
  );
}

/**
 * Returns the capture time of the first frame of the newest segment in the
 * top rendition's playlist, from its time code; undefined without one.
 */
async function newestSegmentCapturedAt(hlsDir: string, width: number): Promise<number | undefined> {
  const playlist = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
  const segment = playlist.split('\n').filter((line) => line.endsWith('.ts')).at(-1);

  if (!segment) return undefined;

  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', join(hlsDir, segment), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 16 * 2 ** 20, timeout: 20_000 },
  );
  const code = decodeTimeCode(timeCodeLevels(stdout, width), TIME_CODE.bits);

  if (code === undefined) return undefined;

  const now = Date.now();

  return now - timeCodeAge(code, now, TIME_CODE.bits);
}

/**
 * Waits until the viewer displays pictures with a time code (the pipeline
 * runs) and returns the latency of the newest one. On a loaded machine that
 * latency can reach many seconds, and each recovery time includes it.
 */
export async function waitForSteadyPictures(page: Page): Promise<number> {
  let latest: { frames: number; shownMsAgo?: number } = { frames: 0 };

  return waitFor('pictures at the WebRTC viewer', async () => {
    const frames = await readFrames(page);
    const newest = timedFrames(frames).at(-1);

    latest = { frames: frames.length, shownMsAgo: newest && Date.now() - newest.displayedAt };

    return newest !== undefined && Date.now() - newest.displayedAt < STEADY_AGE_MS ? newest.latencyMs : undefined;
  }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 250 }).catch((error: Error) => {
    throw new Error(`${error.message}: ${latest.frames} frames displayed, the newest ${latest.shownMsAgo ?? 'never'} ms ago`);
  });
}

/**
 * Waits until the WebRTC viewer displays a frame captured after faultAt and
 * the newest segment of the 720p playlist starts with one. Returns both
 * times in ms from faultAt. The playlist and its segments may be missing
 * while Podium restarts; such a poll counts as not yet.
 */
export async function waitForPicturesAfter(
  page: Page,
  hlsDir: string,
  width: number,
  faultAt: number,
  faultName: string,
): Promise<{ webRtcMs: number; hlsMs: number }> {
  const [webRtcMs, hlsMs] = await Promise.all([
    waitFor(`WebRTC frames captured after the ${faultName}`, async () => {
      const frame = timedFrames(await readFrames(page)).find((entry) => entry.capturedAt > faultAt);

      return frame ? frame.displayedAt - faultAt : undefined;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 100 }),
    waitFor(`an HLS segment captured after the ${faultName}`, async () => {
      const capturedAt = await newestSegmentCapturedAt(hlsDir, width);

      return capturedAt !== undefined && capturedAt > faultAt ? Date.now() - faultAt : undefined;
    }, { timeoutMs: RECOVERY_TIMEOUT_MS, intervalMs: 200 }),
  ]);

  return { webRtcMs, hlsMs };
}

/** Formats one recovery's times, the latency before the fault and the page's playback path as report text. */
export function recoveryLine(entry: Recovery): string {
  return (
    `WebRTC ${Math.round(entry.webRtcMs)} ms, HLS ${entry.hlsMs} ms, latency before the kill ${Math.round(entry.latencyBeforeMs)} ms` +
    `${entry.playback ? `, page ${entry.playback}` : ''}`
  );
}
