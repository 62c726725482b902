import { watchSources } from '../appliance/sfu/watch-sources.js';
import { startTestPodium, type TestPodium } from '../test/helpers/test-podium.js';
import { waitFor } from '../test/helpers/wait-for.js';

/**
 * The configuration every benchmark's Podium starts with: no simulated PTZ
 * camera. Its v360 filter over a large scene imitates a real camera's
 * optics, a cost no appliance with a real camera has.
 */
export const BENCH_CONFIG = { ptz: { camera: 'none' } } satisfies Parameters<typeof startTestPodium>[0];

/** Returns true once watch pages receive the program (not the venue sources) and HLS is live. */
export async function programIsLive(podium: TestPodium): Promise<boolean> {
  const { controller } = podium.podium;
  const room = controller.room;

  if (!room || !watchSources(room, controller.liveEvent?.program?.state === 'live').includes('program')) return false;

  return (await podium.state()).outputs?.hls === 'live';
}

/**
 * Starts Podium (with the built-in venue source and BENCH_CONFIG unless overridden) and its test
 * event live, and waits until the program reaches the room and the HLS output.
 */
export async function startLivePodium(
  overrides: Parameters<typeof startTestPodium>[0] = {},
): Promise<{ podium: TestPodium; eventId: string }> {
  const podium = await startTestPodium({ ...BENCH_CONFIG, ...overrides });

  try {
    const eventId = await podium.goLive();

    await waitFor('the program in the room and on HLS', () => programIsLive(podium), { timeoutMs: 60_000, intervalMs: 250 });

    return { podium, eventId };
  } catch (error) {
    await podium.close();
    throw error;
  }
}
