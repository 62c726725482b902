import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/processes.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

describe('a capture that stops delivering', () => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium();

    await podium.goLive();
  });

  afterAll(async () => {
    await podium?.close();
  });

  it('is restarted after about 3 s without packets', async () => {
    const venue = podium.podium.controller.liveEvent!.venue!;
    const frozenPid = venue.microphoneProcess!.pid!;
    const frozenAt = Date.now();

    // A stopped process keeps its device open but sends nothing, like a hung driver.
    process.kill(frozenPid, 'SIGSTOP');

    const restarted = await waitFor(
      'a new microphone process',
      () => {
        const current = venue.microphoneProcess;

        return current && current.pid !== frozenPid ? current : undefined;
      },
      { timeoutMs: 20_000 },
    );
    const restartedAfterMs = Date.now() - frozenAt;

    await waitFor('the microphone to deliver again', async () => (await podium.state()).venue?.microphone === 'ok', {
      timeoutMs: 10_000,
    });

    expect(restartedAfterMs).toBeGreaterThanOrEqual(3000);
    expect(isAlive(frozenPid)).toBe(false);
    expect(restarted.running).toBe(true);
    expect((await podium.state()).event?.state).toBe('live');
  });
});
