import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import type { SupervisedProcess } from '../../appliance/process/supervisor.js';
import { AvEventParser, AvOffsetTracker, probeFilterGraph, type AvOffset } from './av-offsets.js';
import { startFakeVenue, type FakeVenue } from './fake-venue.js';
import { startTestPodium, type TestPodium } from './test-podium.js';
import { waitFor } from './wait-for.js';

/** A small picture keeps the encode, the pipe and the probe cheap on two cores. */
const PICTURE = { width: 320, height: 180, fps: 30 };

export type AvSyncSessionOptions = {
  /** How much faster the microphone's clock runs: 0.03 is 3% fast. */
  audioClockDrift: number;
  /** Called with each flash-beep offset as the probe measures it. */
  onOffset?: (offset: AvOffset) => void;
};

/**
 * Podium live with the fake venue as its camera and microphone, through
 * raw-pipe sources, so that the capture runs the product's own arguments. A
 * probe ffmpeg decodes the HLS output as a viewer's player would and
 * measures each flash against its beep.
 */
export class AvSyncSession {
  readonly tracker = new AvOffsetTracker();
  readonly podium: TestPodium;
  readonly venue: FakeVenue;
  /** Wall-clock time the event went live, in ms since the epoch. */
  readonly liveAt: number;
  readonly #dir: string;
  #probe: SupervisedProcess | undefined;

  private constructor(podium: TestPodium, venue: FakeVenue, dir: string, liveAt: number) {
    this.podium = podium;
    this.venue = venue;
    this.#dir = dir;
    this.liveAt = liveAt;
  }

  /** Starts Podium and the fake venue, goes live and starts the probe on the first HLS segment. */
  static async start(options: AvSyncSessionOptions): Promise<AvSyncSession> {
    const dir = mkdtempSync(join(tmpdir(), 'podium-av-sync-'));
    const videoPipe = join(dir, 'venue-video.fifo');
    const audioPipe = join(dir, 'venue-audio.fifo');
    const podium = await startTestPodium({
      venue: {
        video: { source: 'raw-pipe', pipe: videoPipe, ...PICTURE },
        audio: { source: 'raw-pipe', pipe: audioPipe },
      },
      encoding: { videoBitrateKbps: 300 },
    });
    let session: AvSyncSession | undefined;

    try {
      const venue = startFakeVenue(podium.podium.supervisor, { dir, ...PICTURE, audioClockDrift: options.audioClockDrift });
      const eventId = await podium.goLive();

      session = new AvSyncSession(podium, venue, dir, Date.now());
      await session.#startProbe(eventId, options.onOffset);

      return session;
    } catch (error) {
      if (session) await session.stop();
      else {
        await podium.close();
        rmSync(dir, { recursive: true, force: true });
      }
      throw error;
    }
  }

  get offsets(): AvOffset[] {
    return this.tracker.offsets;
  }

  /** Seconds since the event went live. */
  get liveSeconds(): number {
    return (Date.now() - this.liveAt) / 1000;
  }

  /**
   * Waits until the event has been live for the given seconds. Rejects when
   * the fake venue or the probe exits first, because both must run for the
   * whole session.
   */
  async waitUntilLiveFor(seconds: number): Promise<void> {
    await waitFor(
      `${seconds} s of live event`,
      () => {
        this.#assertRunning();

        return this.liveSeconds >= seconds;
      },
      { timeoutMs: (seconds + 60) * 1000, intervalMs: 500 },
    );
  }

  #assertRunning(): void {
    for (const process of [this.venue.process, this.#probe]) {
      const exit = process?.exitInfo;

      if (exit) throw new Error(`${process.name} exited with code ${exit.code}: ${exit.stderr.slice(-3).join(' | ')}`);
    }
  }

  async stop(): Promise<void> {
    await this.#probe?.stop();
    await this.podium.close();
    await this.venue.process.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #startProbe(eventId: string, onOffset: AvSyncSessionOptions['onOffset']): Promise<void> {
    // The top rendition's media playlist: the probe reads one rendition as a player would.
    const playlist = this.podium.podium.controller.liveEvent!.hlsPlaylistPath;

    await waitFor('the first HLS segment', async () => (await readFile(playlist, 'utf8').catch(() => '')).includes('.ts'), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });

    const parser = new AvEventParser();

    this.#probe = this.podium.podium.supervisor.start({
      name: 'av-sync-probe',
      command: resolveFfmpegPath(),
      args: [
        '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
        '-live_start_index', '0',
        '-i', `${this.podium.baseUrl}/hls/${eventId}/${basename(playlist)}`,
        '-filter_complex', probeFilterGraph(),
        '-map', '[v]', '-map', '[a]', '-f', 'null', '-',
      ],
      consumeStderrLine: (line) => {
        const event = parser.push(line);

        if (!event) return false;
        for (const offset of this.tracker.push(event)) onOffset?.(offset);

        return true;
      },
    });
  }
}
