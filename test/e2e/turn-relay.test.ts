import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestPodium, type TestPodium } from '../helpers/test-podium.js';
import { TurnTestServer } from '../helpers/turn-server.js';
import { waitFor } from '../helpers/wait-for.js';

const SHARED_SECRET = 'turn-shared-secret-for-the-relay-test';

type SeenConfig = { iceTransportPolicy?: string; iceServers?: { urls: string[]; username?: string; credential?: string }[] };

describe('watch page through a TURN relay', () => {
  let turn: TurnTestServer;
  let podium: TestPodium;
  let browser: Browser;

  beforeAll(async () => {
    turn = await TurnTestServer.start(SHARED_SECRET);
    podium = await startTestPodium({
      turn: { urls: [`turn:127.0.0.1:${turn.port}?transport=udp`], sharedSecret: SHARED_SECRET, credentialTtlSeconds: 600 },
      // Relayed ICE takes longer than direct ICE on a busy machine; the page must not fall back to HLS first.
      watch: { hlsFallbackSeconds: 30 },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await podium?.close();
    turn?.close();
  });

  it('plays over WebRTC with relay candidates only', async () => {
    const page = await browser.newPage();

    await page.addInitScript(() => {
      // Forces every peer connection through TURN, as a firewall that allows
      // no direct UDP or TCP to the appliance would.
      const Native = window.RTCPeerConnection;
      const seen: unknown[] = [];
      const connections: RTCPeerConnection[] = [];

      class RelayOnly extends Native {
        constructor(config: RTCConfiguration = {}) {
          seen.push(JSON.parse(JSON.stringify(config)));
          super({ ...config, iceTransportPolicy: 'relay' });
          connections.push(this);
        }
      }
      Object.assign(window, { RTCPeerConnection: RelayOnly, seenConfigs: seen, peerConnections: connections });
    });
    await podium.goLive();
    await page.goto(`${podium.baseUrl}/watch`);
    await page.waitForFunction(
      () => (document.querySelector('podium-watch-page')?.shadowRoot?.querySelector('video')?.currentTime ?? 0) > 1,
      null,
      { timeout: 45_000 },
    );

    expect(await page.getByTestId('playback-mode').getAttribute('data-mode')).toBe('webrtc');

    const configs = (await page.evaluate(() => (window as unknown as { seenConfigs: SeenConfig[] }).seenConfigs)) as SeenConfig[];
    // mediasoup-client also opens a connection without servers to probe the codecs.
    const transportConfigs = configs.filter((config) => (config.iceServers?.length ?? 0) > 0);
    const server = transportConfigs[0]?.iceServers?.[0];

    expect(transportConfigs).toHaveLength(1);

    expect(server?.urls).toEqual([`turn:127.0.0.1:${turn.port}?transport=udp`]);
    expect(server?.username).toMatch(/^\d+:[0-9a-f]+$/);
    expect(server?.credential).not.toBe(SHARED_SECRET);

    const localCandidateType = await waitFor('a nominated candidate pair', () => page.evaluate(async () => {
      const connection = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections.find(
        (candidate) => (candidate.getConfiguration().iceServers?.length ?? 0) > 0,
      );
      const stats = await connection!.getStats();
      let pairLocalId: string | undefined;

      stats.forEach((report: { type: string; state?: string; nominated?: boolean; localCandidateId?: string }) => {
        if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.nominated) pairLocalId = report.localCandidateId;
      });

      return pairLocalId ? (stats.get(pairLocalId) as { candidateType?: string }).candidateType : undefined;
    }));

    expect(localCandidateType).toBe('relay');
    expect(turn.output).toMatch(/session .*: (new|realm)/i);
  });
});
