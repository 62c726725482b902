import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishColor, type RoomSource } from '../helpers/room-sources.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const SLIDES = { color: 'red', width: 1280, height: 720, fps: 10 };

/** Podium stopped and started again (as systemd restarts it) while an event runs with staff's chosen layout. */
describe('event across a restart of Podium', () => {
  let podium: TestPodium;
  let eventId: string;
  let liveSince: string;
  const sources: RoomSource[] = [];

  async function program() {
    return waitFor('the program', async () => (await podium.api('GET', '/api/program')).body.program, { timeoutMs: 30_000 });
  }

  async function shareSlides(): Promise<void> {
    sources.push(await publishColor(podium.podium.controller.room!, 'lectern-screen', SLIDES));
    await waitFor('the slides in the program', async () => ((await program()).available.includes('slides-camera') ? true : undefined), {
      timeoutMs: 20_000,
    });
  }

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = await podium.goLive();
    liveSince = (await podium.state()).event!.liveSince!;
    await shareSlides();

    const chosen = await podium.api('POST', '/api/program/layout', { layout: 'slides-camera' });

    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    for (const source of sources.splice(0)) await source.stop();
    await podium.close({ keepData: true });
    podium = await startTestPodium({}, podium.dataDir);
  });

  afterAll(async () => {
    for (const source of sources) await source.stop();
    await podium?.close();
  });

  it('is live again with its first live time', async () => {
    const snapshot = await podium.waitForState('live');

    expect(snapshot.event?.id).toBe(eventId);
    expect(snapshot.event?.liveSince).toBe(liveSince);
  });

  it('keeps the chosen layout while its source is missing', async () => {
    const restored = await program();

    expect(restored.layout).toBe('slides-camera');
    expect(restored.onAir).toBe('camera');
  });

  it('puts the chosen layout on air when the slides return', async () => {
    await shareSlides();

    const restored = await program();

    expect(restored.onAir).toBe('slides-camera');
  });
});
