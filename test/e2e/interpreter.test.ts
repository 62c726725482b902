import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { receivedLevels } from '../helpers/tones.js';
import { waitFor } from '../helpers/wait-for.js';

/** The hall's microphone: the built-in test source beeps at 1 kHz. */
const HALL_TONE = 1000;

describe('sign-language interpreter', () => {
  let podium: TestPodium;
  let browser: Browser;
  let interpreter: Page;
  let viewer: Page;
  let eventId: string;

  /** Returns whether the watch page's interpreter picture is shown and decodes frames. */
  const interpreterPlaying = () =>
    viewer.evaluate(() => {
      const page = document.querySelector('podium-watch-page')!;
      const video = page.shadowRoot!.querySelector<HTMLVideoElement>('video.interpreter')!;

      return !video.hidden && video.videoWidth > 0 && video.currentTime > 0;
    });

  /**
   * Returns the test ids (or tag names) of the watch page's controls that are
   * not the topmost element at their centre, so a pointer cannot reach them.
   */
  const coveredControls = () =>
    viewer.evaluate(() => {
      const page = document.querySelector('podium-watch-page')!;
      const playerControls = page.shadowRoot!.querySelector('podium-player-controls')!.shadowRoot!;
      const languageSwitch = page.shadowRoot!.querySelector('podium-language-switch')!.shadowRoot!;
      const controls = [...playerControls.querySelectorAll('input, button'), languageSwitch.querySelector('select')!];

      /** Returns the element hit at a point, inside shadow roots too. */
      const topmost = (x: number, y: number): Element | null => {
        let hit = document.elementFromPoint(x, y);

        while (hit?.shadowRoot) {
          const inner = hit.shadowRoot.elementFromPoint(x, y);

          if (!inner || inner === hit) break;
          hit = inner;
        }

        return hit;
      };

      return controls
        .filter((control) => {
          control.scrollIntoView({ block: 'center' });

          const rect = control.getBoundingClientRect();
          const hit = topmost(rect.left + rect.width / 2, rect.top + rect.height / 2);

          return !hit || !(hit === control || control.contains(hit));
        })
        .map((control) => control.getAttribute('data-testid') ?? control.tagName.toLowerCase());
    });

  beforeAll(async () => {
    podium = await startTestPodium();
    eventId = await podium.goLive();
    await waitFor('the program on HLS', async () => ((await podium.state()).outputs?.hls === 'live' ? true : undefined), {
      timeoutMs: 45_000,
    });
    browser = await launchChromium();
    viewer = await browser.newPage();
    await viewer.goto(`${podium.baseUrl}/watch`);
    await viewer.getByTestId('playback-mode').and(viewer.locator('[data-mode="webrtc"]')).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
  });

  it('interpreter invite opens the interpreter page', async () => {
    const invite = await podium.api('POST', `/api/events/${eventId}/invites`, { role: 'interpreter', label: 'DGS' });

    interpreter = await browser.newPage();
    await interpreter.goto(`${podium.baseUrl}/join${new URL(invite.body.url).search}`);

    expect(new URL(interpreter.url()).pathname).toBe('/interpret');
    await interpreter.getByTestId('interpreter-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  });

  it('interpreter page without invite sends nothing', async () => {
    const visitor = await browser.newPage();

    await visitor.goto(`${podium.baseUrl}/interpret`);
    await visitor.getByTestId('needs-invite').waitFor({ timeout: 15_000 });

    expect(await visitor.getByTestId('interpreter-state').count()).toBe(0);
    expect(await visitor.getByTestId('interpreter-camera').isDisabled()).toBe(true);
    await visitor.close();
  });

  it('camera becomes the program inset', async () => {
    await interpreter.getByTestId('interpreter-camera').click();
    await interpreter.getByTestId('interpreter-camera').and(interpreter.locator('[aria-pressed="true"]')).waitFor({ timeout: 20_000 });
    await waitFor('the interpreter inset on air', async () => ((await podium.state()).program?.interpreter ? true : undefined), {
      timeoutMs: 20_000,
    });
  });

  it('interpreter hears the hall directly', async () => {
    // The hall beeps 100 ms each second: measure until a beep has come through.
    const levels = await waitFor('the hall beep', async () => {
      const measured = await receivedLevels(interpreter, 'podium-interpreter-page', [HALL_TONE]);

      return (measured['venue-mic']?.[HALL_TONE] ?? -Infinity) > -50 ? measured : undefined;
    }, { timeoutMs: 45_000, intervalMs: 0 });

    expect(Object.keys(levels)).toEqual(['venue-mic']);
    expect(levels['venue-mic']![HALL_TONE]).toBeGreaterThan(-50);
  });

  it('viewer shows the interpreter beside the program', async () => {
    await viewer.getByTestId('sign-language-side').check();
    await waitFor('the interpreter picture playing', async () => ((await interpreterPlaying()) ? true : undefined), { timeoutMs: 20_000 });

    expect(await viewer.locator('.pictures').getAttribute('data-sign-language')).toBe('side');
  });

  it('viewer enlarges the interpreter over the program', async () => {
    await viewer.getByTestId('sign-language-large').check();
    await viewer.locator('.pictures[data-sign-language="large"]').waitFor({ timeout: 10_000 });

    const box = await viewer.getByTestId('interpreter-video').boundingBox();
    const stage = await viewer.locator('.stage').boundingBox();

    expect(box!.width).toBeGreaterThan(stage!.width * 0.3);
    expect(await coveredControls()).toEqual([]);
  });

  it('large interpreter leaves controls free at 640 px', async () => {
    const size = viewer.viewportSize();

    // 640 × 400 CSS pixels: a screen of 1280 × 800 at 200 % zoom.
    await viewer.setViewportSize({ width: 640, height: 400 });
    try {
      const box = await viewer.getByTestId('interpreter-video').boundingBox();
      const stage = await viewer.locator('.stage').boundingBox();

      expect(box!.y).toBeGreaterThanOrEqual(stage!.y);
      expect(await coveredControls()).toEqual([]);
    } finally {
      if (size) await viewer.setViewportSize(size);
    }
  });

  it('inset choice hides the separate picture', async () => {
    await viewer.getByTestId('sign-language-inset').check();
    await waitFor('the interpreter picture hidden', async () => ((await interpreterPlaying()) ? undefined : true));

    expect(await viewer.getByTestId('interpreter-video').isHidden()).toBe(true);
  });
});
