import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { waitFor } from '../test/helpers/wait-for.js';
import type { Benchmark, BenchmarkMetric, BenchmarkResult } from './benchmark.js';
import { startLivePodium } from './live-podium.js';
import { percentile, round1 } from './statistics.js';
import {
  beepLatencies,
  openWatchPage,
  readBeeps,
  readFrames,
  startBeepDetector,
  startFrameSampler,
  timedFrames,
  type DisplayedFrame,
  type TimedFrame,
} from './watch-sampler.js';

/** Start-up of playback (hls.js catching up, jitter buffers settling), left out of the figures. */
const MAX_WARM_UP_MS = 10_000;
/** Windows of the latency series in the report, which shows whether latency grows during the run. */
const SERIES_WINDOWS = 6;

function latencyMetrics(label: string, latencies: number[]): BenchmarkMetric[] {
  return [
    { name: `${label} median`, value: round1(percentile(latencies, 50)), unit: 'ms' },
    { name: `${label} 95th percentile`, value: round1(percentile(latencies, 95)), unit: 'ms' },
    { name: `${label} samples`, value: latencies.length, unit: '' },
  ];
}

/** Waits until the page has displayed frames whose time code it can read. */
async function waitForTimeCodes(page: Page, path: string): Promise<void> {
  await waitFor(`time codes on the ${path} watch page`, async () => timedFrames(await readFrames(page)).length > 10, {
    timeoutMs: 60_000,
    intervalMs: 250,
  });
}

/** Returns one line per window of the run: the median WebRTC and HLS video latency in it. */
export function seriesLines(webrtc: TimedFrame[], hls: TimedFrame[], from: number, to: number): string[] {
  const step = (to - from) / SERIES_WINDOWS;
  const median = (frames: TimedFrame[], start: number) => {
    const inWindow = frames.filter((frame) => frame.displayedAt >= start && frame.displayedAt < start + step);

    return inWindow.length === 0 ? '-' : `${Math.round(percentile(inWindow.map((frame) => frame.latencyMs), 50))} ms`;
  };
  const lines = ['from start   WebRTC median   HLS median'];

  for (let index = 0; index < SERIES_WINDOWS; index++) {
    const start = from + index * step;

    lines.push(`${`${Math.round((start - from) / 1000)} s`.padStart(10)} ${median(webrtc, start).padStart(15)} ${median(hls, start).padStart(12)}`);
  }

  return lines;
}

function widthsOf(frames: DisplayedFrame[]): string {
  return [...new Set(frames.map((frame) => frame.width))].join(', ');
}

/**
 * Glass-to-glass latency of Podium live with the built-in test picture and
 * tone. Two watch pages in headless Chromium, one over WebRTC and one over
 * hls.js, read the capture time code from each displayed frame. The WebRTC
 * page also detects the beeps, which start on wall-clock seconds.
 */
export const glassToGlass: Benchmark = {
  name: 'glass-to-glass',
  description: 'latency from capture to display: WebRTC and HLS video, WebRTC audio (median and 95th percentile; reported only)',
  method:
    'Podium goes live with the built-in test picture and tone. The capture draws a time code into each frame: ' +
    'a row of 22 black and white blocks in the top left corner, the Gray code of its wall-clock time in ms ' +
    '(mod 2^20), read from ffmpeg\'s clock (time(0)) as it draws the frame. The test tone beeps on every ' +
    'wall-clock second. Two watch pages in headless Chromium on the same machine, and so the same clock, play ' +
    'the event: one over WebRTC, one over hls.js (the page without RTCPeerConnection). Each copies the corner of ' +
    'every displayed frame (requestVideoFrameCallback) to a canvas, decodes the blocks and subtracts the ' +
    'capture time from the frame\'s expected display time. The WebRTC page also reads its audio track through ' +
    'WebAudio (a ScriptProcessorNode of 256 samples) and takes each beep onset less its full second. The first ' +
    '10 s (a third of shorter runs) are left out, and so are time codes that read as more than two minutes ' +
    'old (misread blocks). Audio latency is measured to WebAudio, not to the loudspeaker, and reads modulo ' +
    '1 s; beeps start up to 10 ms after their second, which the audio figure includes. Onsets are timed with ' +
    'the page\'s clock when the ScriptProcessorNode runs on the main thread, which the frame sampler also ' +
    'uses, so a busy page adds to the audio figure.',
  defaultMinutes: 3,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const windowMs = minutes * 60_000;
    const warmUpMs = Math.min(MAX_WARM_UP_MS, windowMs / 3);
    const { podium } = await startLivePodium();
    const browser = await launchChromium();

    try {
      const webrtc = await openWatchPage(browser, podium.baseUrl, 'webrtc');
      const hls = await openWatchPage(browser, podium.baseUrl, 'hls');

      for (const [path, page] of [['WebRTC', webrtc], ['HLS', hls]] as const) {
        await page.getByTestId('playback-mode').and(page.locator(`[data-mode="${path.toLowerCase()}"]`)).waitFor({ timeout: 60_000 });
        await waitFor(`${path} video to play`, () => page.evaluate(() => {
          const video = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video');

          return (video?.currentTime ?? 0) > 0;
        }), { timeoutMs: 60_000, intervalMs: 250 });
        await startFrameSampler(page, podium.config.venue.video.width);
      }
      await startBeepDetector(webrtc);
      await waitForTimeCodes(webrtc, 'WebRTC');
      await waitForTimeCodes(hls, 'HLS');
      progress(`both pages show time codes; measuring for ${Math.round(windowMs / 1000)} s`);

      const measureFrom = Date.now() + warmUpMs;
      const until = Date.now() + windowMs;

      // The window is the measurement itself: the pages sample every frame meanwhile.
      await waitFor('the measurement window to end', () => Date.now() >= until, { timeoutMs: windowMs + 5000, intervalMs: 500 });

      const webrtcFrames = (await readFrames(webrtc)).filter((frame) => frame.displayedAt >= measureFrom);
      const hlsFrames = (await readFrames(hls)).filter((frame) => frame.displayedAt >= measureFrom);
      const onsets = (await readBeeps(webrtc)).filter((onset) => onset >= measureFrom);
      const webrtcTimed = timedFrames(webrtcFrames);
      const hlsTimed = timedFrames(hlsFrames);
      const webrtcLatencies = webrtcTimed.map((frame) => frame.latencyMs);
      const hlsLatencies = hlsTimed.map((frame) => frame.latencyMs);
      const audioLatencies = beepLatencies(onsets);

      return {
        metrics: [
          ...latencyMetrics('WebRTC video', webrtcLatencies),
          ...latencyMetrics('HLS video', hlsLatencies),
          ...latencyMetrics('WebRTC audio', audioLatencies),
        ],
        details: [
          `measured over ${Math.round((windowMs - warmUpMs) / 1000)} s after ${Math.round(warmUpMs / 1000)} s of warm-up`,
          `WebRTC: ${webrtcFrames.length} frames displayed, ${webrtcFrames.length - webrtcLatencies.length} without a readable time code, widths ${widthsOf(webrtcFrames)}`,
          `HLS: ${hlsFrames.length} frames displayed, ${hlsFrames.length - hlsLatencies.length} without a readable time code, widths ${widthsOf(hlsFrames)}`,
          `WebRTC audio: ${onsets.length} beep onsets; an audio latency of a second or more would read as its remainder`,
          ...seriesLines(webrtcTimed, hlsTimed, measureFrom, until),
        ],
      };
    } finally {
      await browser.close();
      await podium.close();
    }
  },
};
