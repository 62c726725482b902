import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser } from 'm3u8-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeStreams } from '../helpers/ffprobe.js';
import { colorAt, colorName, decodeFirstFrame, type Frame } from '../helpers/frames.js';
import { decodeSamples, peak, toneAmplitude } from '../helpers/audio-samples.js';
import { publishColor, publishTone, type RoomSource } from '../helpers/room-sources.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Sample = { sequence: number; segments: string[]; text: string };

/** Points of the 1280x720 program, as fractions: where each layout puts what. */
const TOP_MIDDLE = [0.5, 0.1] as const; // above the side-by-side halves
const LEFT_HALF = [0.25, 0.5] as const;
const RIGHT_HALF = [0.75, 0.5] as const;
const SLIDES_ONLY = [0.55, 0.3] as const;
const CORNER = [0.87, 0.85] as const; // the camera picture in picture
const INTERPRETER = [0.17, 0.81] as const; // the inset, bottom left

describe('program compositor', () => {
  let podium: TestPodium;
  let eventId: string;
  let hlsDir: string;
  const sources: RoomSource[] = [];
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | undefined;

  function parseSample(text: string): Sample {
    const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);

    return { sequence, segments: text.split('\n').filter((line) => line.endsWith('.ts')), text };
  }

  /** Decodes the first frame of the top rendition's newest segment, once one after the given sequence number exists. */
  async function frameAfter(sequence: number): Promise<Frame> {
    const text = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
    const sample = parseSample(text);
    const newest = sample.sequence + sample.segments.length - 1;

    if (newest <= sequence) throw new Error(`no segment after ${sequence} yet`);

    return decodeFirstFrame(join(hlsDir, sample.segments.at(-1)!));
  }

  async function newestSequence(): Promise<number> {
    const sample = parseSample(await readFile(join(hlsDir, '720p.m3u8'), 'utf8'));

    return sample.sequence + sample.segments.length - 1;
  }

  /** Chooses a layout and waits for a frame, encoded after the choice, that passes the check. */
  async function switchTo(layout: string, check: (frame: Frame) => boolean): Promise<Frame> {
    const response = await podium.api('POST', '/api/program/layout', { layout });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // The segment being written may have started before the switch: look from the one after it.
    const after = (await newestSequence()) + 1;

    return waitFor(`a frame in the layout "${layout}"`, async () => {
      const frame = await frameAfter(after);

      return check(frame) ? frame : undefined;
    }, { timeoutMs: 20_000, intervalMs: 300 });
  }

  const at = (frame: Frame, point: readonly [number, number]) => colorName(colorAt(frame, point[0], point[1]));
  /** A frame of the camera layout, to compare the fallback with. */
  let cameraFrame: Frame | undefined;

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = (await podium.api('GET', '/api/events')).body.events[0].id;
    hlsDir = join(podium.dataDir, 'hls', eventId);
    await podium.api('POST', `/api/events/${eventId}/start`);
    await podium.waitForState('live');
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 30_000,
    });
    sampler = setInterval(() => {
      void readFile(join(hlsDir, '720p.m3u8'), 'utf8').then((text) => samples.push(parseSample(text)), () => undefined);
    }, 250);
  });

  afterAll(async () => {
    clearInterval(sampler);
    for (const source of sources) await source.stop();
    await podium?.close();
  });

  it('offers only the camera layout while no slides are shared', async () => {
    const { body } = await podium.api('GET', '/api/program');
    const refused = await podium.api('POST', '/api/program/layout', { layout: 'slides' });

    expect(body.program.onAir).toBe('camera');
    expect(body.program.available).toEqual(['camera']);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PODIUM_ERR_LAYOUT_UNAVAILABLE');
    expect(refused.body.message).toContain('lectern-screen');
  });

  it('refuses an unknown layout and a lower third with a line break', async () => {
    const layout = await podium.api('POST', '/api/program/layout', { layout: 'grid' });
    const lowerThird = await podium.api('POST', '/api/program/lower-third', { visible: true, title: 'a\nb', name: '' });
    const tooLong = await podium.api('POST', '/api/program/lower-third', { visible: true, title: 'x'.repeat(41), name: '' });

    expect(layout.status).toBe(400);
    expect(lowerThird.status).toBe(400);
    expect(tooLong.status).toBe(400);
  });

  it('takes the shared slides and the interpreter from the room', async () => {
    const room = podium.podium.controller.room!;

    sources.push(await publishColor(room, 'lectern-screen', { color: 'red', width: 1920, height: 1080, fps: 10 }));
    sources.push(await publishColor(room, 'interpreter', { color: 'blue', width: 640, height: 360, fps: 15 }));

    const program = await waitFor('slides and interpreter in the program', async () => {
      const { body } = await podium.api('GET', '/api/program');

      return body.program.available.includes('slides') && body.program.interpreter ? body.program : undefined;
    }, { timeoutMs: 20_000 });

    expect(program.available).toEqual(['camera', 'slides-camera', 'slides', 'side-by-side']);

    // The inset shows the interpreter once the compositor has decoded their first keyframe.
    const after = (await newestSequence()) + 1;

    await waitFor('the interpreter inset', async () => {
      const frame = await frameAfter(after);

      return at(frame, INTERPRETER) === 'blue' ? frame : undefined;
    }, { timeoutMs: 20_000, intervalMs: 300 });
  });

  it('switches layouts live; the interpreter inset stays in every layout', async () => {
    const slides = await switchTo('slides', (frame) => at(frame, SLIDES_ONLY) === 'red' && at(frame, CORNER) === 'red');

    expect(at(slides, INTERPRETER)).toBe('blue');

    const sideBySide = await switchTo('side-by-side', (frame) => at(frame, TOP_MIDDLE) === 'black');

    expect(at(sideBySide, LEFT_HALF)).toBe('red');
    expect(at(sideBySide, RIGHT_HALF)).not.toBe('red');
    expect(at(sideBySide, INTERPRETER)).toBe('blue');

    const pictureInPicture = await switchTo('slides-camera', (frame) => at(frame, SLIDES_ONLY) === 'red' && at(frame, CORNER) !== 'red');

    expect(at(pictureInPicture, INTERPRETER)).toBe('blue');

    const camera = await switchTo('camera', (frame) => at(frame, SLIDES_ONLY) !== 'red' && at(frame, TOP_MIDDLE) !== 'black');

    expect(at(camera, INTERPRETER)).toBe('blue');
    cameraFrame = camera;
  });

  it('shows the lower third over the picture', async () => {
    await switchTo('slides', (frame) => at(frame, SLIDES_ONLY) === 'red');

    const region = [0.4, 0.84] as const;
    const response = await podium.api('POST', '/api/program/lower-third', { visible: true, title: 'Lesung am Abend: 100% Krimi', name: 'Erika Muster' });

    expect(response.status).toBe(200);
    expect(response.body.program.lowerThird.visible).toBe(true);

    const after = (await newestSequence()) + 1;
    const frame = await waitFor('the lower third', async () => {
      const candidate = await frameAfter(after);

      return at(candidate, region) !== 'red' ? candidate : undefined;
    }, { timeoutMs: 20_000, intervalMs: 300 });

    expect(at(frame, SLIDES_ONLY)).toBe('red');
    await podium.api('POST', '/api/program/lower-third', { visible: false, title: '', name: '' });
  });

  it('falls back to the camera when the slides leave, and keeps the choice', async () => {
    await switchTo('side-by-side', (frame) => at(frame, TOP_MIDDLE) === 'black');
    await sources.shift()!.stop();

    const program = await waitFor('the camera layout on air', async () => {
      const { body } = await podium.api('GET', '/api/program');

      return body.program.onAir === 'camera' ? body.program : undefined;
    }, { timeoutMs: 20_000 });
    const after = (await newestSequence()) + 1;
    const frame = await waitFor('a camera frame', async () => {
      const candidate = await frameAfter(after);

      return at(candidate, TOP_MIDDLE) !== 'black' ? candidate : undefined;
    }, { timeoutMs: 20_000, intervalMs: 300 });

    expect(program.layout).toBe('side-by-side');
    // The venue's test picture does not move at these points.
    for (const point of [LEFT_HALF, RIGHT_HALF, SLIDES_ONLY]) expect(at(frame, point)).toBe(at(cameraFrame!, point));
    expect((await podium.state()).program?.onAir).toBe('camera');
  });

  it('mixes a remote speaker\'s voice into the sound, below full scale', async () => {
    const room = podium.podium.controller.room!;

    // A full-scale tone: the hall's beep on top of it would clip without the limiter.
    sources.push(await publishTone(room, 'remote-speaker-mic', 660, 8));

    const after = (await newestSequence()) + 2;
    const samples = await waitFor('the remote voice in the HLS sound', async () => {
      const sample = parseSample(await readFile(join(hlsDir, '720p.m3u8'), 'utf8'));

      if (sample.sequence + sample.segments.length - 1 < after + 2) return undefined;

      const decoded = await Promise.all(sample.segments.slice(-3).map((segment) => decodeSamples(join(hlsDir, segment))));
      const joined = new Float32Array(decoded.reduce((length, part) => length + part.length, 0));

      decoded.reduce((offset, part) => (joined.set(part, offset), offset + part.length), 0);

      const amplitude = toneAmplitude(joined, 660);

      if (amplitude < 0.05) throw new Error(`660 Hz at amplitude ${amplitude.toFixed(3)}, 1 kHz at ${toneAmplitude(joined, 1000).toFixed(3)}`);

      return joined;
    }, { timeoutMs: 30_000, intervalMs: 500 });

    expect(toneAmplitude(samples, 1000), 'the hall\'s beep').toBeGreaterThan(0.005);
    expect(peak(samples)).toBeLessThan(0.95);
  });

  it('kept the playlist continuous through every switch', () => {
    const seen = new Map<number, string>();

    expect(samples.length).toBeGreaterThan(20);
    for (const sample of samples) {
      expect(sample.text).not.toContain('#EXT-X-ENDLIST');
      expect(sample.text).not.toContain('#EXT-X-DISCONTINUITY\n');
      sample.segments.forEach((segment, index) => {
        const sequence = sample.sequence + index;
        const earlier = seen.get(sequence);

        if (earlier !== undefined) expect(segment).toBe(earlier);
        seen.set(sequence, segment);
      });
    }

    const sequences = [...seen.keys()].sort((a, b) => a - b);

    expect(sequences.at(-1)! - sequences[0]! + 1).toBe(sequences.length);
    for (let index = 1; index < samples.length; index++) {
      expect(samples[index]!.sequence).toBeGreaterThanOrEqual(samples[index - 1]!.sequence);
    }
  });

  it('publishes a multivariant playlist that a playlist parser accepts', async () => {
    const response = await fetch(`${podium.baseUrl}/hls/${eventId}/index.m3u8`);
    const parser = new Parser();

    parser.push(await response.text());
    parser.end();

    const variants = parser.manifest.playlists ?? [];

    expect(response.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(variants.map((variant) => variant.uri)).toEqual(['720p.m3u8', '360p.m3u8']);
    for (const variant of variants) {
      expect(variant.attributes.CODECS).toMatch(/^avc1\.42c0[0-9a-f]{2},mp4a\.40\.2$/);
      expect(variant.attributes.BANDWIDTH).toBeGreaterThan(0);
      expect(variant.attributes.RESOLUTION).toBeDefined();
    }
    expect(variants[1]!.attributes.RESOLUTION).toEqual({ width: 640, height: 360 });

    const low = await (await fetch(`${podium.baseUrl}/hls/${eventId}/360p.m3u8`)).text();
    const segment = low.split('\n').filter((line) => line.endsWith('.ts')).at(-1)!;
    const streams = await probeStreams(`${podium.baseUrl}/hls/${eventId}/${segment}`);

    expect(streams.find((stream) => stream.codec_type === 'video')).toMatchObject({ width: 640, height: 360, profile: 'Constrained Baseline' });
    expect(streams.find((stream) => stream.codec_type === 'audio')?.codec_name).toBe('aac');
  });

  it('continues the playlists after the compositor dies, with a discontinuity', async () => {
    const compositor = podium.podium.supervisor.running().find((process) => process.name === 'program')!;
    const before = await newestSequence();
    const producerBefore = (await podium.podium.controller.room!.producerStats('program'))!;

    process.kill(compositor.pid!, 'SIGKILL');

    const text = await waitFor('segments of the restarted compositor', async () => {
      const playlist = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
      const sample = parseSample(playlist);

      return playlist.includes('#EXT-X-DISCONTINUITY\n') && sample.sequence + sample.segments.length - 1 > before + 2 ? playlist : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    const sample = parseSample(text);
    const numbers = sample.segments.map((segment) => Number(/-(\d+)\.ts$/.exec(segment)![1]));

    expect(text).not.toContain('#EXT-X-ENDLIST');
    expect(text).toMatch(/#EXT-X-DISCONTINUITY-SEQUENCE:0/);
    // The segment names go on where they were: one sequence, no restart at 0.
    numbers.forEach((number, index) => expect(number).toBe(sample.sequence + index));
    expect(numbers.at(-1)).toBeGreaterThan(before);
    await waitFor('a new program producer', async () => {
      const stats = await podium.podium.controller.room!.producerStats('program');

      return stats && stats.packetCount > 0 && stats.packetCount < producerBefore.packetCount ? stats : undefined;
    }, { timeoutMs: 10_000 });
  });

  it('puts the program into the room for WebRTC viewers', async () => {
    const room = podium.podium.controller.room!;
    const stats = await room.producerStats('program');

    expect(room.hasSource('program')).toBe(true);
    expect(room.hasSource('program-audio')).toBe(true);
    expect(stats?.packetCount).toBeGreaterThan(0);
  });

  it('keeps the program date-time near the wall clock and old segments bounded', async () => {
    await waitFor('more segments than are kept', async () => ((await newestSequence()) > 32 ? true : undefined), { timeoutMs: 40_000 });

    const text = await readFile(join(hlsDir, '720p.m3u8'), 'utf8');
    const dates = [...text.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((match) => Date.parse(match[1]!));
    const segmentFiles = (await readdir(hlsDir)).filter((name) => /^720p-\d+\.ts$/.test(name));

    // The newest segment began at most a few seconds ago (1 s long, written when complete).
    expect(Date.now() - dates.at(-1)!).toBeLessThan(10_000);
    expect(Date.now() - dates.at(-1)!).toBeGreaterThan(-2_000);
    // 10 listed, 20 kept for slow players, and the one being written.
    expect(segmentFiles.length).toBeLessThanOrEqual(32);
    // More segments than that were written: the first ones are gone.
    expect(await newestSequence()).toBeGreaterThan(32);
    expect(segmentFiles).not.toContain('720p-000000.ts');
  });
});
