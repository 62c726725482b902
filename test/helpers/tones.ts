import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { decodeSamples } from './audio-samples.js';

/**
 * Writes a WAV file with a steady sine at half full scale, for Chromium's
 * --use-file-for-fake-audio-capture (it loops the file).
 */
export function writeToneWav(path: string, frequency: number): string {
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000,volume=4`,
    '-t', '10', '-ac', '1', '-c:a', 'pcm_s16le', path,
  ]);

  return path;
}

/** Returns the newest segment number of an HLS rendition's playlist. */
export async function newestSegment(playlist: string): Promise<{ sequence: number; segments: string[] }> {
  const text = await readFile(playlist, 'utf8');
  const first = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);
  const segments = text.split('\n').filter((line) => line.endsWith('.ts'));

  return { sequence: first + segments.length - 1, segments };
}

/** Decodes the newest count segments of an HLS rendition into one run of samples (48 kHz, mono). */
export async function newestHlsSamples(playlist: string, count: number): Promise<Float32Array> {
  const { segments } = await newestSegment(playlist);
  const directory = join(playlist, '..');
  const decoded = await Promise.all(segments.slice(-count).map((segment) => decodeSamples(join(directory, segment))));
  const joined = new Float32Array(decoded.reduce((length, part) => length + part.length, 0));
  let offset = 0;

  for (const part of decoded) {
    joined.set(part, offset);
    offset += part.length;
  }

  return joined;
}

/**
 * Where a page element lists its received tracks: the method's name and the
 * field that names each track (watch pages: receivedAudio() by source, the
 * meeting page: receivedTracks() by peerId).
 */
export type ReceivedBy = { method: string; key: string };

const BY_SOURCE: ReceivedBy = { method: 'receivedAudio', key: 'source' };

/** The loudest level (dBFS of the FFT bin) of each frequency, by the source of the received track. */
export type ReceivedLevels = Record<string, Record<number, number>>;

/**
 * Listens to every audio track a page element receives (its receivedAudio()
 * method) with Web Audio analysers for durationMs, and returns the loudest
 * level of each frequency per source. A frequency absent from a track stays
 * tens of dB below a tone played into it (codec noise and the spectral
 * spread of other sounds fill the bins a little).
 */
export async function receivedLevels(page: Page, element: string, frequencies: number[], durationMs = 2500, by: ReceivedBy = BY_SOURCE): Promise<ReceivedLevels> {
  return page.evaluate(
    async ({ element, frequencies, durationMs, by }) => {
      type Received = { kind?: string; track: MediaStreamTrack } & Record<string, unknown>;
      const host = document.querySelector(element) as unknown as Record<string, () => Received[]>;
      const context = new AudioContext({ sampleRate: 48000 });

      await context.resume();

      const received = host[by.method]!.call(host).filter((entry) => entry.kind === undefined || entry.kind === 'audio');
      const listeners = received.map((entry) => {
        const source = String(entry[by.key]);
        const { track } = entry;
        const analyser = context.createAnalyser();

        analyser.fftSize = 8192;
        analyser.smoothingTimeConstant = 0;
        context.createMediaStreamSource(new MediaStream([track])).connect(analyser);

        return { source, analyser, bins: new Float32Array(analyser.frequencyBinCount), loudest: frequencies.map(() => -Infinity) };
      });
      const binOf = (frequency: number) => Math.round((frequency * 8192) / context.sampleRate);
      const end = performance.now() + durationMs;

      while (performance.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        for (const listener of listeners) {
          listener.analyser.getFloatFrequencyData(listener.bins);
          frequencies.forEach((frequency, index) => {
            const bin = binOf(frequency);
            const level = Math.max(listener.bins[bin - 1]!, listener.bins[bin]!, listener.bins[bin + 1]!);

            listener.loudest[index] = Math.max(listener.loudest[index]!, level);
          });
        }
      }
      await context.close();

      return Object.fromEntries(
        listeners.map((listener) => [listener.source, Object.fromEntries(frequencies.map((frequency, index) => [frequency, listener.loudest[index]!]))]),
      );
    },
    { element, frequencies, durationMs, by },
  );
}
