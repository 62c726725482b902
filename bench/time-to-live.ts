import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { startTestPodium, type TestPodium } from '../test/helpers/test-podium.js';
import { waitFor } from '../test/helpers/wait-for.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { BENCH_CONFIG } from './live-podium.js';
import { percentile } from './statistics.js';
import { openWatchPage, readFrames, startFrameSampler } from './watch-sampler.js';

/** Start-ups measured at most, each with a fresh Podium. */
const MAX_RUNS = 5;

/** Times of one start, in ms from the POST of Start. */
export type StartTimes = {
  /** The event's state turned live. */
  live: number;
  /** The WebRTC watch page displayed its first frame. */
  webRtcFrame: number;
  /** The top rendition's playlist listed a segment that could be fetched. */
  hlsSegment: number;
  /** The hls.js watch page displayed its first frame. */
  hlsFrame: number;
};

/** Returns the first segment the playlist lists, once it can be fetched. */
async function firstPlayableSegment(podium: TestPodium, eventId: string): Promise<string | undefined> {
  const base = `${podium.baseUrl}/hls/${eventId}`;
  const playlist = await fetch(`${base}/720p.m3u8`);

  if (!playlist.ok) return undefined;

  const segment = (await playlist.text()).split('\n').find((line) => line.endsWith('.ts'));

  if (!segment) return undefined;

  return (await fetch(`${base}/${segment}`)).ok ? segment : undefined;
}

/** Starts a fresh Podium's test event with both watch pages already open, and times each step. */
async function measureStart(browser: Browser): Promise<StartTimes> {
  const podium = await startTestPodium(BENCH_CONFIG);
  const pages: Page[] = [];

  try {
    const webrtc = await openWatchPage(browser, podium.baseUrl, 'webrtc');
    const hls = await openWatchPage(browser, podium.baseUrl, 'hls');

    pages.push(webrtc, hls);
    await startFrameSampler(webrtc, podium.config.venue.video.width);
    await startFrameSampler(hls, podium.config.venue.video.width);

    const { body } = await podium.api('GET', '/api/events');
    const eventId = body.events[0].id as string;
    const pressedAt = Date.now();

    await podium.api('POST', `/api/events/${eventId}/start`);

    const liveAt = await waitFor('the event to go live', async () => ((await podium.state()).event?.state === 'live' ? Date.now() : undefined), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    const hlsSegmentAt = await waitFor('a playable HLS segment', async () => ((await firstPlayableSegment(podium, eventId)) ? Date.now() : undefined), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    const firstFrame = async (page: Page, path: string) =>
      waitFor(`a frame on the ${path} watch page`, async () => (await readFrames(page))[0]?.displayedAt, { timeoutMs: 60_000, intervalMs: 100 });

    return {
      live: liveAt - pressedAt,
      webRtcFrame: (await firstFrame(webrtc, 'WebRTC')) - pressedAt,
      hlsSegment: hlsSegmentAt - pressedAt,
      hlsFrame: (await firstFrame(hls, 'HLS')) - pressedAt,
    };
  } finally {
    for (const page of pages) await page.context().close();
    await podium.close();
  }
}

/**
 * Starts the test event of a fresh Podium again and again, with a WebRTC
 * and an hls.js watch page waiting for it, and times Start to the first
 * displayed frame on each and to the first playable HLS segment.
 */
export const timeToLive: Benchmark = {
  name: 'time-to-live',
  description: 'time from Start to the first WebRTC frame at a viewer and to the first playable HLS segment (reported only)',
  method:
    'A fresh Podium with its test event ready; a WebRTC and an hls.js watch page in headless Chromium are ' +
    'open and waiting. The clock starts when the POST of Start is sent. The benchmark polls the event state ' +
    'and the 720p media playlist every 50 ms (a segment counts once it is listed and its file can be fetched), ' +
    'and each page records the expected display time of its first frame (requestVideoFrameCallback). ' +
    'It repeats with a fresh Podium until the time is up, at most five times. The first WebRTC frame may be ' +
    'the venue camera, which pages show until the program arrives.',
  defaultMinutes: 3,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const until = Date.now() + minutes * 60_000;
    const browser = await launchChromium();
    const runs: StartTimes[] = [];

    try {
      // At least one start, however short the run.
      do {
        const times = await measureStart(browser);

        runs.push(times);
        progress(`start ${runs.length}: live ${times.live} ms, WebRTC frame ${Math.round(times.webRtcFrame)} ms, HLS segment ${times.hlsSegment} ms, hls.js frame ${Math.round(times.hlsFrame)} ms`);
      } while (Date.now() < until && runs.length < MAX_RUNS);
    } finally {
      await browser.close();
    }

    return summarizeStarts(runs);
  },
};

/** Turns the measured starts into the report: the median and largest of each step. */
export function summarizeStarts(runs: StartTimes[]): BenchmarkResult {
  const steps: [keyof StartTimes, string][] = [
    ['live', 'event live'],
    ['webRtcFrame', 'first WebRTC frame'],
    ['hlsSegment', 'first playable HLS segment'],
    ['hlsFrame', 'first hls.js frame'],
  ];

  return {
    metrics: steps.flatMap(([key, label]) => [
      { name: `${label}, median`, value: Math.round(percentile(runs.map((run) => run[key]), 50)), unit: 'ms' },
      { name: `${label}, max`, value: Math.round(Math.max(...runs.map((run) => run[key]))), unit: 'ms' },
    ]),
    details: [
      `${runs.length} starts, each of a fresh Podium; times from the POST of Start`,
      ...runs.map((run, index) => `start ${index + 1}: ${steps.map(([key, label]) => `${label} ${Math.round(run[key])} ms`).join(', ')}`),
    ],
  };
}
