import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../appliance/config/load.js';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import { createLogger, type LogLevel } from '../../appliance/log.js';
import { startPodium, type Podium } from '../../appliance/podium.js';
import type { EventSnapshot } from '../../appliance/signaling/protocol.js';
import { waitFor } from './wait-for.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export type TestPodium = {
  podium: Podium;
  baseUrl: string;
  dataDir: string;
  config: PodiumConfig;
  /** Calls the HTTP API and returns status and parsed JSON body. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }>;
  state(): Promise<EventSnapshot>;
  /** Waits until the current event reaches a state. */
  waitForState(state: string, timeoutMs?: number): Promise<EventSnapshot>;
  /** Closes Podium and removes its data directory (unless keepData). */
  close(options?: { keepData?: boolean }): Promise<void>;
};

/** Raw configuration for a test: loopback only, any free ports, a fresh data directory. */
export function testConfigInput(dataDir: string, overrides: DeepPartial<PodiumConfig> = {}): object {
  return {
    ...overrides,
    http: { host: '127.0.0.1', port: 0, ...overrides.http },
    dataDir,
    log: { level: (process.env.PODIUM_TEST_LOG_LEVEL as LogLevel | undefined) ?? 'warn', ...overrides.log },
    sfu: { listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0, ...overrides.sfu },
  };
}

/** Starts Podium in this process, with the built-in venue source. */
export async function startTestPodium(
  overrides: DeepPartial<PodiumConfig> = {},
  existingDataDir?: string,
): Promise<TestPodium> {
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'podium-test-'));
  const config = parseConfig(testConfigInput(dataDir, overrides), 'the test configuration');
  const podium = await startPodium(config, createLogger(config.log.level));
  const baseUrl = podium.url;

  const api: TestPodium['api'] = async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  const state = async () => (await api('GET', '/api/state')).body as EventSnapshot;

  return {
    podium,
    baseUrl,
    dataDir,
    config,
    api,
    state,
    waitForState: (wanted, timeoutMs = 45_000) =>
      waitFor(
        `event state "${wanted}"`,
        async () => {
          const snapshot = await state();

          if (snapshot.event?.state === 'failed' && wanted !== 'failed') {
            throw new Error(`event failed: ${snapshot.event.failureReason}`);
          }

          return snapshot.event?.state === wanted ? snapshot : undefined;
        },
        { timeoutMs, intervalMs: 200 },
      ),
    close: async ({ keepData = false } = {}) => {
      await podium.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
