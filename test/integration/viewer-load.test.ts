import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';
import { WeriftViewer, type ReceivedPackets } from '../helpers/werift-viewer.js';

/** Viewers joined, in batches of JOIN_BATCH; bounded so the test fits beside other test runs on two cores. */
const VIEWERS = 20;
const JOIN_BATCH = 5;
/**
 * Packets of each kind every viewer must receive after all have started:
 * Opus sends 50 a second, so this is 5 s of audio and more of video.
 */
const KEEP_RECEIVING_PACKETS = 250;

describe('many non-rendering WebRTC viewers', () => {
  let podium: TestPodium;
  const viewers: WeriftViewer[] = [];

  beforeAll(async () => {
    // A small picture keeps the capture's encoder light; the load is in the worker and the clients.
    podium = await startTestPodium({
      sfu: { workers: 2, viewersPerWorker: 10 },
      venue: { video: { width: 640, height: 360 } },
      encoding: { videoBitrateKbps: 800 },
    });
    await podium.goLive();
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await podium?.close();
  });

  it(`joins ${VIEWERS} viewers across both workers`, async () => {
    for (let start = 0; start < VIEWERS; start += JOIN_BATCH) {
      const batch = Array.from({ length: Math.min(JOIN_BATCH, VIEWERS - start) }, () => WeriftViewer.join(podium.baseUrl));

      viewers.push(...(await Promise.all(batch)));
    }

    expect(viewers).toHaveLength(VIEWERS);
    expect(podium.podium.sfu.viewersPerWorker()).toEqual([10, 10]);
  });

  it('every viewer receives audio and video', async () => {
    const before: ReceivedPackets[] = await waitFor(
      'first packets at every viewer',
      () => (viewers.every((viewer) => viewer.received.audio > 0 && viewer.received.video > 0)
        ? viewers.map((viewer) => ({ ...viewer.received }))
        : undefined),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const lagging = () =>
      viewers
        .map((viewer, index) => ({
          index,
          audio: viewer.received.audio - before[index]!.audio,
          video: viewer.received.video - before[index]!.video,
        }))
        .filter((gain) => gain.audio < KEEP_RECEIVING_PACKETS || gain.video < KEEP_RECEIVING_PACKETS);

    await waitFor('every viewer to keep receiving', () => lagging().length === 0, { timeoutMs: 30_000, intervalMs: 250 })
      .catch(() => undefined);

    // Lists the viewers that fell silent, with what they received since their first packets.
    expect(lagging()).toEqual([]);
  });

  it('room counts every viewer in its egress', async () => {
    const egress = await podium.podium.controller.room!.egressStats();

    expect(egress.viewers).toBe(VIEWERS);
    expect(egress.packetCount).toBeGreaterThan(0);
  });
});
