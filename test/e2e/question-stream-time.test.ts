import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const QUESTION = 'Kommt das Buch auch als Hörbuch?';

type PageView = {
  mode: string;
  positionMs: number | null;
  /** The question's stream time once the page has it, else null. */
  streamTimeMs: number | null;
  shown: boolean;
};

function view(page: Page): Promise<PageView> {
  return page.evaluate((text) => {
    const element = document.querySelector('podium-watch-page') as unknown as {
      playbackMode: string;
      positionMs: number | null;
      questions: { text: string; streamTimeMs: number }[];
      shadowRoot: ShadowRoot;
    };
    const panel = element.shadowRoot.querySelector('podium-audience-questions');
    const shown = [...(panel?.shadowRoot?.querySelectorAll('[data-testid="audience-question"]') ?? [])].some((item) =>
      item.textContent?.includes(text),
    );

    return {
      mode: element.playbackMode,
      positionMs: element.positionMs,
      streamTimeMs: element.questions.find((question) => question.text === text)?.streamTimeMs ?? null,
      shown,
    };
  }, QUESTION);
}

describe('questions on an HLS watch page', () => {
  let podium: TestPodium;
  let browser: Browser;
  let asker: Page;
  let hlsViewer: Page;

  beforeAll(async () => {
    podium = await startTestPodium();
    await podium.goLive();
    browser = await launchChromium();
    asker = await browser.newPage();
    hlsViewer = await browser.newPage();
    await hlsViewer.addInitScript(() => {
      // Without WebRTC the page plays HLS, seconds behind live.
      Reflect.deleteProperty(window, 'RTCPeerConnection');
    });
    await asker.goto(`${podium.baseUrl}/watch`);
    await hlsViewer.goto(`${podium.baseUrl}/watch`);
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('show when playback reaches their stream time', async () => {
    await waitFor('HLS playback with a known position', async () => {
      const current = await view(hlsViewer);

      return current.mode === 'hls' && current.positionMs !== null && current.positionMs > 0;
    }, { timeoutMs: 60_000, intervalMs: 250 });

    await asker.getByTestId('question-text').fill(QUESTION);
    await asker.getByTestId('question-submit').click();

    const arrived = await waitFor('the question data on the HLS page', async () => {
      const current = await view(hlsViewer);

      return current.streamTimeMs !== null ? current : undefined;
    }, { timeoutMs: 10_000, intervalMs: 50 });

    expect(arrived.shown).toBe(false);
    expect(arrived.positionMs!).toBeLessThan(arrived.streamTimeMs!);

    const shown = await waitFor('the question shown on the HLS page', async () => {
      const current = await view(hlsViewer);

      return current.shown ? current : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100 });

    expect(shown.positionMs!).toBeGreaterThanOrEqual(shown.streamTimeMs!);
  });

  it('show at once on the WebRTC page', async () => {
    const current = await view(asker);

    expect(current.mode).toBe('webrtc');
    expect(current.positionMs).toBeNull();
    expect(current.shown).toBe(true);
  });
});
