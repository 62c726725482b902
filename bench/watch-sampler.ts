import type { Browser, Page } from 'playwright-core';
import { decodeTimeCode, TIME_CODE, TIME_CODE_BLOCKS, timeCodeAge } from '../capture/time-code.js';

/** The watch page's playback path: WebRTC (the default) or hls.js. */
export type WatchPath = 'webrtc' | 'hls';

/** One frame the watch page displayed, as the page saw it. */
export type DisplayedFrame = {
  /** The capture time code in the frame (ms mod 2^bits), or null when the frame carries none. */
  code: number | null;
  /** Wall-clock time at which the browser expected to show the frame, in ms since the epoch. */
  displayedAt: number;
  width: number;
};

/** A displayed frame with its capture time and latency, where it carries a time code. */
export type TimedFrame = DisplayedFrame & { capturedAt: number; latencyMs: number };

/**
 * Opens the watch page at 1280x720. For the HLS path the page gets no
 * RTCPeerConnection, which makes it fall back to hls.js at once, as it does
 * in browsers without WebRTC. The page's Content-Security-Policy is bypassed
 * so that the sampler can build the decoder from its source text.
 */
export async function openWatchPage(browser: Browser, baseUrl: string, path: WatchPath): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
  const page = await context.newPage();

  if (path === 'hls') {
    await page.addInitScript(() => {
      Reflect.deleteProperty(window, 'RTCPeerConnection');
      Reflect.deleteProperty(window, 'webkitRTCPeerConnection');
    });
  }
  await page.goto(`${baseUrl}/watch`);

  return page;
}

/**
 * Starts recording every frame the page's video displays, from its first: a
 * requestVideoFrameCallback loop copies the time code's corner to a canvas
 * and decodes the blocks' brightness. captureWidth is the width the time
 * code was drawn at; smaller renditions are read scaled.
 */
export async function startFrameSampler(page: Page, captureWidth: number): Promise<void> {
  await page.evaluate(
    ({ layout, blocks, decodeSource, captureWidth: drawnWidth }) => {
      const decode = new Function(`return (${decodeSource})`)() as (levels: number[], bits: number) => number | undefined;
      const canvas = document.createElement('canvas');
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      const frames: unknown[] = [];

      (window as unknown as { podiumFrames: unknown[] }).podiumFrames = frames;

      const brightness = (data: Uint8ClampedArray, width: number, x: number, y: number) => {
        let sum = 0;

        // The mean of 3x3 pixels at the block's centre, as (R + G + B) / 3.
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const offset = ((y + dy) * width + (x + dx)) * 4;

            sum += (data[offset]! + data[offset + 1]! + data[offset + 2]!) / 3;
          }
        }

        return sum / 9;
      };
      let video: HTMLVideoElement | undefined;
      const onFrame = (element: HTMLVideoElement, metadata: VideoFrameCallbackMetadata) => {
        // A callback of an element the page has since replaced ends its chain.
        if (element !== video) return;

        const displayedAt = Date.now() + (metadata.expectedDisplayTime - performance.now());
        const scale = video.videoWidth / drawnWidth;
        const width = Math.ceil((layout.x + (blocks + 1) * layout.block) * scale);
        const height = Math.ceil((layout.y + 2 * layout.block) * scale);
        let code: number | null = null;

        if (width > 0 && height > 0) {
          if (canvas.width !== width || canvas.height !== height) {
            canvas.width = width;
            canvas.height = height;
          }
          context.drawImage(video, 0, 0, width, height, 0, 0, width, height);

          const data = context.getImageData(0, 0, width, height).data;
          const levels = Array.from({ length: blocks }, (_, index) =>
            brightness(
              data,
              width,
              Math.round((layout.x + index * layout.block + layout.block / 2) * scale),
              Math.round((layout.y + layout.block / 2) * scale),
            ),
          );

          code = decode(levels, layout.bits) ?? null;
        }
        frames.push({ code, displayedAt, width: video.videoWidth });
        element.requestVideoFrameCallback((_now, next) => onFrame(element, next));
      };

      // The page may render its video element only once the event is live,
      // and render a new one after it lost Podium and found it again.
      const followVideo = () => {
        const found = document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video') ?? undefined;

        if (found && found !== video) {
          video = found;
          found.requestVideoFrameCallback((_now, metadata) => onFrame(found, metadata));
        }
        setTimeout(followVideo, video ? 200 : 10);
      };

      followVideo();
    },
    { layout: TIME_CODE, blocks: TIME_CODE_BLOCKS, decodeSource: decodeTimeCode.toString(), captureWidth },
  );
}

/** Returns the frames the sampler recorded so far. */
export async function readFrames(page: Page): Promise<DisplayedFrame[]> {
  return page.evaluate(() => (window as unknown as { podiumFrames?: DisplayedFrame[] }).podiumFrames ?? []);
}

/**
 * The largest latency read as real. A misread block turns the time code into
 * a random age of up to 2^20 ms (about 17 minutes), while latencies measured
 * on a heavily loaded machine stayed below 45 s.
 */
export const MAX_PLAUSIBLE_LATENCY_MS = 120_000;

/**
 * Adds the capture time and latency to each frame that carries a readable
 * time code. Frames without one, or with a latency beyond
 * MAX_PLAUSIBLE_LATENCY_MS (a misread), are left out.
 */
export function timedFrames(frames: DisplayedFrame[]): TimedFrame[] {
  return frames.flatMap((frame) => {
    if (frame.code === null) return [];

    const latencyMs = timeCodeAge(frame.code, frame.displayedAt, TIME_CODE.bits);

    if (latencyMs > MAX_PLAUSIBLE_LATENCY_MS) return [];

    return [{ ...frame, capturedAt: frame.displayedAt - latencyMs, latencyMs }];
  });
}

/**
 * Starts detecting the test tone's beeps in the audio the page plays. A
 * ScriptProcessorNode of 256 samples reads the WebRTC audio track through
 * WebAudio. An onset is a sample above the threshold after at least half a
 * second of quiet. Its wall-clock time is the callback's Date.now() less the
 * samples after the onset in the buffer.
 */
export async function startBeepDetector(page: Page): Promise<void> {
  await page.evaluate(() => {
    const video = document.querySelector('podium-watch-page')!.shadowRoot!.querySelector('video')!;
    const track = (video.srcObject as MediaStream | null)?.getAudioTracks()[0];

    if (!track) throw new Error('the watch page plays no WebRTC audio track');

    const audio = new AudioContext();
    const source = audio.createMediaStreamSource(new MediaStream([track]));
    const processor = audio.createScriptProcessor(256, 1, 1);
    const onsets: number[] = [];
    const threshold = 0.05;
    let quietSamples = 0;

    (window as unknown as { podiumBeeps: number[] }).podiumBeeps = onsets;
    processor.onaudioprocess = (event) => {
      const now = Date.now();
      const samples = event.inputBuffer.getChannelData(0);

      for (let index = 0; index < samples.length; index++) {
        if (Math.abs(samples[index]!) < threshold) {
          quietSamples += 1;
          continue;
        }
        if (quietSamples > audio.sampleRate / 2) {
          onsets.push(now - ((samples.length - index) / audio.sampleRate) * 1000);
        }
        quietSamples = 0;
      }
    };
    source.connect(processor);
    // A ScriptProcessorNode runs only while connected to the destination; it outputs silence.
    processor.connect(audio.destination);
  });
}

/** Returns the beep onsets detected so far, in ms since the epoch. */
export async function readBeeps(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { podiumBeeps?: number[] }).podiumBeeps ?? []);
}

/**
 * Returns each beep's latency: its onset less the wall-clock second it
 * started on. A latency of a second or more reads as its remainder.
 */
export function beepLatencies(onsets: number[]): number[] {
  return onsets.map((onset) => onset - Math.floor(onset / 1000) * 1000);
}
