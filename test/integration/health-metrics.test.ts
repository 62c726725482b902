import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSignaling } from '../helpers/signaling-client.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

const METRICS_TOKEN = 'metrics-token-for-the-test';

async function healthz(podium: TestPodium): Promise<{ status: number; body: { status: string; failing: string[] } }> {
  const response = await fetch(`${podium.baseUrl}/healthz`);

  return { status: response.status, body: (await response.json()) as { status: string; failing: string[] } };
}

async function metrics(podium: TestPodium, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${podium.baseUrl}/metrics`, { headers });

  return { status: response.status, text: await response.text() };
}

/** Returns the value of one sample line, such as 'podium_viewers{path="hls"}'. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));

  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/healthz and /metrics', () => {
  let podium: TestPodium;
  let eventId: string;
  let signaling: TestSignaling | undefined;

  beforeAll(async () => {
    podium = await startTestPodium({ metrics: { token: METRICS_TOKEN } });
  });

  afterAll(async () => {
    signaling?.socket.close();
    await podium?.close();
  });

  it('healthz reports ready and nothing else', async () => {
    const { status, body } = await healthz(podium);

    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ready', failing: [] });
  });

  it('metrics admit this machine', async () => {
    const { status, text } = await metrics(podium);

    expect(status).toBe(200);
    expect(sample(text, 'podium_up')).toBe(1);
    expect(sample(text, 'podium_sfu_worker_up')).toBe(1);
    expect(sample(text, 'podium_disk_free_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'podium_cpus')).toBeGreaterThan(0);
  });

  it('metrics reject a proxied request without token', async () => {
    const { status } = await metrics(podium, { 'X-Forwarded-For': '192.0.2.7' });

    expect(status).toBe(401);
  });

  it('metrics reject a wrong token', async () => {
    const { status } = await metrics(podium, { 'X-Forwarded-For': '192.0.2.7', Authorization: 'Bearer wrong-token-of-length' });

    expect(status).toBe(401);
  });

  it('metrics admit the bearer token', async () => {
    const { status } = await metrics(podium, { 'X-Forwarded-For': '192.0.2.7', Authorization: `Bearer ${METRICS_TOKEN}` });

    expect(status).toBe(200);
  });

  it('api/status is staff-only', async () => {
    expect((await podium.apiAs(undefined, 'GET', '/api/status')).status).toBe(401);
    expect((await podium.api('GET', '/api/status')).body.ready).toBe(true);
  });

  it('metrics reflect a live event with viewers', async () => {
    eventId = await podium.goLive();
    signaling = await TestSignaling.connect(podium.baseUrl);
    await signaling.request('join', { page: 'watch' });

    const transport = await signaling.request('createRecvTransport');

    expect(transport.ok).toBe(true);
    await waitFor('the HLS playlist', async () => (await fetch(`${podium.baseUrl}/hls/${eventId}/index.m3u8`)).ok);

    const text = await waitFor('ingest bitrates', async () => {
      const { text: current } = await metrics(podium);

      const flowing = (sample(current, 'podium_ingest_bitrate_bits_per_second{source="venue-camera"}') ?? 0) > 0;
      const hlsLive = sample(current, 'podium_output_state{output="hls",state="live"}') === 1;

      return flowing && hlsLive ? current : undefined;
    });

    expect(sample(text, 'podium_event_live')).toBe(1);
    expect(sample(text, 'podium_viewers{path="webrtc"}')).toBe(1);
    expect(sample(text, 'podium_sfu_worker_webrtc_viewers{worker="0"}')).toBe(1);
    expect(sample(text, 'podium_viewers{path="hls"}')).toBe(1);
    expect(sample(text, 'podium_watch_pages')).toBe(1);
    expect(sample(text, 'podium_ingest_bitrate_bits_per_second{source="venue-mic"}')).toBeGreaterThan(0);
    expect(sample(text, 'podium_recording_active')).toBe(0);
    expect((await healthz(podium)).status).toBe(200);
  });

  it('a restarted camera ffmpeg counts', async () => {
    const camera = podium.podium.supervisor.running().find((child) => child.name === 'camera');

    expect(camera?.pid).toBeDefined();
    process.kill(camera!.pid!, 'SIGKILL');

    const text = await waitFor('the camera restart in /metrics', async () => {
      const { text: current } = await metrics(podium);

      return sample(current, 'podium_process_restarts_total{process="camera"}') === 1 ? current : undefined;
    });

    expect(text).toContain('# TYPE podium_process_restarts_total counter');
  });

  it('a killed compositor restarts and is counted', async () => {
    const compositor = podium.podium.supervisor.running().find((child) => child.name === 'program');

    expect(compositor?.pid).toBeDefined();
    process.kill(compositor!.pid!, 'SIGKILL');

    const text = await waitFor('the compositor restart in /metrics', async () => {
      const { text: current } = await metrics(podium);

      return sample(current, 'podium_process_restarts_total{process="program"}') === 1 ? current : undefined;
    });
    const restarted = await waitFor('the program on HLS again', async () => {
      const { text: current } = await metrics(podium);

      return sample(current, 'podium_output_state{output="hls",state="live"}') === 1 ? current : undefined;
    }, { timeoutMs: 30_000 });

    expect(sample(text, 'podium_process_restarts_total{process="program"}')).toBe(1);
    expect(sample(restarted, 'podium_output_state{output="hls",state="failed"}')).toBe(0);
    expect((await healthz(podium)).body.failing).not.toContain('hls');
  });

  it('counts a replaced worker', async () => {
    const killedPid = podium.podium.sfu.workerPid;
    const roomBefore = podium.podium.controller.room;

    process.kill(killedPid, 'SIGKILL');

    const text = await waitFor('the worker death in /metrics', async () => {
      const { text: current } = await metrics(podium);

      return sample(current, 'podium_sfu_worker_deaths_total') === 1 && sample(current, 'podium_sfu_worker_up') === 1
        ? current
        : undefined;
    });

    await waitFor('the rebuilt room', () => podium.podium.controller.room !== roomBefore && podium.podium.controller.room);
    await waitFor('healthz ready again', async () => ((await healthz(podium)).status === 200 ? true : undefined), {
      timeoutMs: 60_000,
    });
    expect(podium.podium.sfu.workerPid).not.toBe(killedPid);
    expect(sample(text, 'podium_sfu_worker_deaths_total')).toBe(1);
    expect((await podium.state()).event?.state).toBe('live');
  }, 90_000);

  it('fails healthz once no worker starts', async () => {
    const { sfu } = podium.podium;

    // Every new worker dies at once, until the Sfu gives up (about 25 s with the default backoff).
    sfu.on('workerreplaced', ({ pid }) => process.kill(pid, 'SIGKILL'));
    process.kill(sfu.workerPid, 'SIGKILL');

    const { status, body } = await waitFor('healthz to name the worker and the failed event', async () => {
      const current = await healthz(podium);
      const { failing } = current.body;

      return failing.includes('sfu-worker') && failing.includes('event') ? current : undefined;
    }, { timeoutMs: 60_000 });
    const { text } = await metrics(podium);

    expect(status).toBe(503);
    expect(body.status).toBe('failing');
    expect(sfu.closed).toBe(true);
    expect(sample(text, 'podium_sfu_worker_up')).toBe(0);
    expect(sample(text, 'podium_sfu_worker_deaths_total')).toBeGreaterThanOrEqual(3);
    expect((await podium.state()).event?.failureCode).toBe('media-worker-stopped');
  }, 90_000);
});
