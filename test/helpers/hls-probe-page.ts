import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** What the probe page's hls.js reported since the page loaded. */
export type HlsProbeReport = {
  /** Every ERROR event, fatal or not, in order. */
  errors: { type: string; details: string; fatal: boolean; reason?: string; buffer?: string }[];
  /** Every loaded media segment: its media sequence number, discontinuity counter and rendition. */
  fragments: { sn: number; cc: number; level: number }[];
  /** The renditions hls.js switched to, in order. */
  levelSwitches: number[];
  /** How often hls.js started loading the multivariant playlist. More than once means a reload. */
  manifestLoads: number;
  /** A random id the page chose when it loaded. It changes if the page reloads. */
  pageId: string;
};

export type HlsProbe = {
  page: Page;
  currentTime(): Promise<number>;
  /** The colour of the playing picture at a point given as fractions of the width and height. */
  colorAt(x: number, y: number): Promise<[number, number, number]>;
  report(): Promise<HlsProbeReport>;
};

/**
 * The probe page, served by the test at Podium's origin so that the HLS
 * requests carry the page's cookies like the watch page's do. hls.js runs
 * with the watch page's settings but without its recovery, so that every
 * fatal error stays visible.
 */
const PAGE = `<!doctype html>
<html><body>
<video id="video" muted autoplay playsinline width="640" height="360"></video>
<canvas id="canvas" width="128" height="72"></canvas>
<script src="/test-probe/hls.min.js"></script>
<script>
  const video = document.getElementById('video');
  const report = { errors: [], fragments: [], levelSwitches: [], manifestLoads: 0, pageId: String(Math.random()) };
  const hls = new Hls({ liveSyncDurationCount: 3, lowLatencyMode: false });

  window.probeReport = report;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    const reason = data.error ? String(data.error.message || data.error) : data.reason;

    report.errors.push({ type: data.type, details: data.details, fatal: data.fatal, reason, buffer: data.sourceBufferName });
  });
  hls.on(Hls.Events.MANIFEST_LOADING, () => report.manifestLoads++);
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => report.levelSwitches.push(data.level));
  hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
    report.fragments.push({ sn: data.frag.sn, cc: data.frag.cc, level: data.frag.level });
  });
  hls.loadSource(new URLSearchParams(location.search).get('src'));
  hls.attachMedia(video);
  window.probeColorAt = (x, y) => {
    const canvas = document.getElementById('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const column = Math.min(canvas.width - 1, Math.round(x * canvas.width));
    const row = Math.min(canvas.height - 1, Math.round(y * canvas.height));

    return Array.from(context.getImageData(column, row, 1, 1).data.slice(0, 3));
  };
</script>
</body></html>`;

/** Opens a page in a new browser context that plays an HLS playlist of Podium with hls.js. */
export async function openHlsProbe(browser: Browser, baseUrl: string, playlistPath: string): Promise<HlsProbe> {
  const script = await readFile(require.resolve('hls.js/dist/hls.min.js'), 'utf8');
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });

  await page.route(`${baseUrl}/test-probe/player.html*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: PAGE }),
  );
  await page.route(`${baseUrl}/test-probe/hls.min.js`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: script }),
  );
  await page.goto(`${baseUrl}/test-probe/player.html?src=${encodeURIComponent(playlistPath)}`);

  return {
    page,
    currentTime: () => page.evaluate(() => document.querySelector('video')!.currentTime),
    colorAt: (x, y) =>
      page.evaluate(
        ([px, py]) => (window as unknown as { probeColorAt(x: number, y: number): [number, number, number] }).probeColorAt(px!, py!),
        [x, y],
      ),
    report: () => page.evaluate(() => (window as unknown as { probeReport: HlsProbeReport }).probeReport),
  };
}
