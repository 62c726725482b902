import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { projectRoot } from '../../appliance/http/page-routes.js';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import { cookieOf, readStaffPassword, testConfigInput } from './test-podium.js';
import { waitFor } from './wait-for.js';

export const mainScript = join(projectRoot(), 'dist', 'appliance', 'main.js');

export type SpawnedPodium = {
  child: ChildProcess;
  url: string;
  /** Everything Podium wrote to stdout and stderr so far (its log). */
  output(): string;
  /** The staff session's Cookie header value. */
  cookie: string;
  /** Calls the HTTP API as staff, with a JSON body where given. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any>;
};

/**
 * Starts the built Podium as its own process (as systemd would), signs in as
 * staff and returns it with its URL. http.port in `http` fixes the port, for
 * a restart that pages must find again; `overrides` sets further keys.
 */
export async function spawnPodium(
  dataDir: string,
  http: Partial<PodiumConfig['http']> = {},
  overrides: Parameters<typeof testConfigInput>[1] = {},
): Promise<SpawnedPodium> {
  const configPath = join(dataDir, 'podium.yaml');

  writeFileSync(configPath, stringify({ ...testConfigInput(dataDir, { ...overrides, http }), log: { level: 'info' } }));

  const child = spawn(process.execPath, [mainScript, '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';

  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await waitFor('Podium to listen', () => /"url":"(http:[^"]+)"/.exec(output)?.[1], {
    timeoutMs: 30_000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}; output: ${output.slice(-2000)}`);
  });
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: readStaffPassword(dataDir) }),
  });
  const cookie = cookieOf(login.headers) ?? '';
  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const headers: Record<string, string> = { Cookie: cookie };

    if (body !== undefined) headers['Content-Type'] = 'application/json';

    return (await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json();
  };

  return { child, url, cookie, api, output: () => output };
}

/** Starts the ready test event of a fresh install and waits until it is live; returns its id. */
export async function goLiveSpawned(podium: SpawnedPodium): Promise<string> {
  const events = (await podium.api('GET', '/api/events')) as { events: { id: string }[] };
  const eventId = events.events[0]!.id;

  await podium.api('POST', `/api/events/${eventId}/start`);
  await waitFor('the event to go live', async () => {
    const state = (await podium.api('GET', '/api/state')) as { event: { state: string } };

    return state.event.state === 'live';
  });

  return eventId;
}
