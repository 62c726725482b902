import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAFF_PASSWORD_FILE } from '../../appliance/auth/access-control.js';
import { parseConfig } from '../../appliance/config/load.js';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import { createLogger, type LogLevel } from '../../appliance/log.js';
import { startPodium, type Podium, type PodiumOptions } from '../../appliance/podium.js';
import type { EventSnapshot } from '../../appliance/signaling/protocol.js';
import { waitFor } from './wait-for.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** An API response: the parsed JSON body (undefined when it is not JSON) and the raw text. */
export type ApiResult = { status: number; body: any; headers: Headers; text: string };

export type TestPodium = {
  podium: Podium;
  baseUrl: string;
  dataDir: string;
  config: PodiumConfig;
  /** The staff password that Podium generated at its first start. */
  staffPassword: string;
  /** Calls the HTTP API as staff (logged in with the generated password). */
  api(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult>;
  /** Calls the HTTP API with the given Cookie header, or none. */
  apiAs(cookie: string | undefined, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult>;
  /** The Cookie header of the staff session that api() uses. */
  staffCookie: string;
  state(): Promise<EventSnapshot>;
  /** Waits until the current event reaches a state. */
  waitForState(state: string, timeoutMs?: number): Promise<EventSnapshot>;
  /** Starts the ready test event of a fresh install, waits until it is live, and returns its id. */
  goLive(): Promise<string>;
  /** Closes Podium and removes its data directory (unless keepData). */
  close(options?: { keepData?: boolean }): Promise<void>;
};

/** Raw configuration for a test: loopback only, any free ports, a fresh data directory. */
export function testConfigInput(dataDir: string, overrides: DeepPartial<PodiumConfig> = {}): object {
  return {
    ...overrides,
    http: { host: '127.0.0.1', port: 0, ...overrides.http },
    https: { host: '127.0.0.1', port: 0, ...overrides.https },
    dataDir,
    log: { level: (process.env.PODIUM_TEST_LOG_LEVEL as LogLevel | undefined) ?? 'warn', ...overrides.log },
    sfu: { listenIp: '127.0.0.1', announcedAddress: '127.0.0.1', port: 0, ...overrides.sfu },
  };
}

/** Returns the name=value part of a Set-Cookie header, for sending it back. */
export function cookieOf(headers: Headers): string | undefined {
  return headers.get('set-cookie')?.split(';')[0];
}

/** Reads the staff password that Podium wrote at its first start. */
export function readStaffPassword(dataDir: string): string {
  return readFileSync(join(dataDir, STAFF_PASSWORD_FILE), 'utf8').split('\n')[1]!.trim();
}

/**
 * Starts Podium in this process, with the built-in venue source. With
 * logLines, every log line (debug level and up) is collected there instead
 * of printed. options.deviceLayer replaces the machine's capture devices.
 */
export async function startTestPodium(
  overrides: DeepPartial<PodiumConfig> = {},
  existingDataDir?: string,
  logLines?: string[],
  options: PodiumOptions = {},
): Promise<TestPodium> {
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'podium-test-'));
  const config = parseConfig(testConfigInput(dataDir, overrides), 'the test configuration');
  const logger = logLines
    ? createLogger('debug', { write: (line: string) => void logLines.push(line) })
    : createLogger(config.log.level);
  const podium = await startPodium(config, logger, options);
  const baseUrl = podium.url;
  const staffPassword = readStaffPassword(dataDir);

  const apiAs: TestPodium['apiAs'] = async (cookie, method, path, body) => {
    const headers: Record<string, string> = {};

    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (cookie) headers.Cookie = cookie;

    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });

    const text = await response.text();
    let parsed: unknown;

    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }

    return { status: response.status, body: parsed, headers: response.headers, text };
  };
  const login = await apiAs(undefined, 'POST', '/api/login', { password: staffPassword });
  const staffCookie = cookieOf(login.headers);

  if (login.status !== 200 || !staffCookie) throw new Error(`test staff login failed with HTTP ${login.status}`);

  const api: TestPodium['api'] = (method, path, body) => apiAs(staffCookie, method, path, body);
  const state = async () => (await api('GET', '/api/state')).body as EventSnapshot;

  return {
    podium,
    baseUrl,
    dataDir,
    config,
    staffPassword,
    staffCookie,
    api,
    apiAs,
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
    goLive: async () => {
      const { body } = await api('GET', '/api/events');
      const eventId = body.events[0].id as string;

      await api('POST', `/api/events/${eventId}/start`);
      await waitFor(
        'the test event to go live',
        async () => ((await state()).event?.state === 'live' ? true : undefined),
        { timeoutMs: 45_000, intervalMs: 200 },
      );

      return eventId;
    },
    close: async ({ keepData = false } = {}) => {
      await podium.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
