import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/processes.js';
import { probeDuration, probeStreams } from '../helpers/ffprobe.js';
import { goLiveSpawned, mainScript, spawnPodium } from '../helpers/spawned-podium.js';
import { startTestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('recording when Podium is killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-recording-kill-'));
  let fileName = '';
  let recordedSeconds = 0;

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('leaves a playable file up to the kill', async () => {
    expect(existsSync(mainScript), `${mainScript} missing: run npm run build first`).toBe(true);

    const podium = await spawnPodium(dataDir);

    await goLiveSpawned(podium);

    const started = (await podium.api('POST', '/api/recording/start')) as { fileName: string };
    const startedAt = Date.now();

    fileName = started.fileName;
    await waitFor(
      'eight seconds of recording',
      async () => ((await podium.api('GET', '/api/recordings')) as any).recordings[0].durationSeconds >= 8,
    );
    recordedSeconds = (Date.now() - startedAt) / 1000;
    podium.child.kill('SIGKILL');
    await waitFor('Podium to end', () => !isAlive(podium.child.pid!));

    const path = join(dataDir, 'recordings', fileName);
    const streams = await probeStreams(path);

    expect(streams.map((stream) => stream.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Math.abs((await probeDuration(path)) - recordedSeconds)).toBeLessThan(5);
  });

  it('lists it as interrupted after restart', async () => {
    const podium = await startTestPodium({}, dataDir);

    try {
      const { body } = await podium.api('GET', '/api/recordings');

      expect(body.recordings[0].fileName).toBe(fileName);
      expect(body.recordings[0].endReason).toBe('interrupted');
      expect(body.recordings[0].durationSeconds).toBeGreaterThanOrEqual(8);
    } finally {
      await podium.close({ keepData: true });
    }
  });
});
