import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { mainScript } from '../helpers/spawned-podium.js';
import { testConfigInput } from '../helpers/test-podium.js';
import { waitFor } from '../helpers/wait-for.js';

type Notification = { message: string; at: number };

/** Listens on a Unix datagram socket, as systemd does, and records each notification with its arrival time. */
function listenForNotifications(path: string): { receiver: ChildProcess; notifications: Notification[] } {
  const receiver = spawn('socat', ['-u', `UNIX-RECV:${path}`, 'STDOUT'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const notifications: Notification[] = [];

  receiver.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const message of chunk.split('\n').filter(Boolean)) notifications.push({ message, at: Date.now() });
  });

  return { receiver, notifications };
}

/** Runs JavaScript on Podium's main thread through the inspector, which blocks its event loop while it runs. */
async function evaluateInPodium(inspectorUrl: string, expression: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl);

  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => {
    socket.on('message', (raw) => {
      if ((JSON.parse(raw.toString()) as { id?: number }).id === 1) resolve();
    });
    socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression } }));
  });
  socket.close();
}

/**
 * Writes a stand-in for the mediasoup worker binary that runs the real one
 * for the first limit starts and fails every later start, as a worker that
 * can no longer start would.
 */
function limitedWorker(dir: string, limit: number): string {
  const realWorker = join(projectRoot(), 'node_modules', 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');
  const script = join(dir, 'limited-worker.sh');
  const counter = join(dir, 'worker-starts');

  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `starts=$(cat '${counter}' 2>/dev/null || echo 0)`,
      `echo $((starts + 1)) > '${counter}'`,
      `[ "$starts" -lt ${limit} ] || exit 1`,
      `exec '${process.env.MEDIASOUP_WORKER_BIN ?? realWorker}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );

  return script;
}

function count(notifications: Notification[], message: string, from = 0, to = Infinity): number {
  return notifications.filter((entry) => entry.message === message && entry.at >= from && entry.at < to).length;
}

describe('systemd watchdog', () => {
  let dataDir: string;
  let podium: ChildProcess | undefined;
  let receiver: ChildProcess | undefined;

  afterEach(() => {
    podium?.kill('SIGKILL');
    receiver?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts Podium under a fake systemd; with workerLimit, one worker whose starts after the first workerLimit fail. */
  async function start(
    { workerLimit }: { workerLimit?: number } = {},
  ): Promise<{ notifications: Notification[]; inspectorUrl: string; output: () => string }> {
    dataDir = mkdtempSync(join(tmpdir(), 'podium-watchdog-'));

    const socketPath = join(dataDir, 'notify.sock');
    const configPath = join(dataDir, 'podium.yaml');
    const listening = listenForNotifications(socketPath);

    receiver = listening.receiver;
    await waitFor('the notify socket', () => existsSync(socketPath), { intervalMs: 20 });
    const sfu = workerLimit === undefined ? {} : { workers: 1 };

    writeFileSync(configPath, stringify({ ...testConfigInput(dataDir, { sfu }), log: { level: 'info' } }));

    const env: NodeJS.ProcessEnv = { ...process.env, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '1000000' };

    if (workerLimit !== undefined) env.MEDIASOUP_WORKER_BIN = limitedWorker(dataDir, workerLimit);
    podium = spawn(process.execPath, ['--inspect=127.0.0.1:0', mainScript, '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });

    let output = '';

    podium.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    podium.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const inspectorUrl = await waitFor('the inspector address', () => /Debugger listening on (ws:\S+)/.exec(output)?.[1]);

    return { notifications: listening.notifications, inspectorUrl, output: () => output };
  }

  it('sends READY, feeds, starves while blocked', async () => {
    const { notifications, inspectorUrl, output } = await start();

    await waitFor('READY=1', () => count(notifications, 'READY=1') === 1, { timeoutMs: 30_000 }).catch((error: Error) => {
      throw new Error(`${error.message}; output: ${output().slice(-2000)}`);
    });
    await waitFor('three WATCHDOG=1', () => count(notifications, 'WATCHDOG=1') >= 3, { timeoutMs: 10_000 });

    const blockStart = Date.now();

    await evaluateInPodium(inspectorUrl, 'const end = Date.now() + 3000; while (Date.now() < end) {}');

    const blockEnd = Date.now();

    // A datagram written just before the block may still arrive in its first moments.
    expect(blockEnd - blockStart).toBeGreaterThanOrEqual(3000);
    expect(count(notifications, 'WATCHDOG=1', blockStart + 300, blockEnd)).toBe(0);
    await waitFor('WATCHDOG=1 after the block', () => count(notifications, 'WATCHDOG=1', blockEnd) >= 2, { timeoutMs: 10_000 });

    podium!.kill('SIGTERM');
    await waitFor('STOPPING=1', () => count(notifications, 'STOPPING=1') === 1, { timeoutMs: 15_000 });
  });

  it('keeps feeding while a dead worker is replaced', async () => {
    const { notifications, output } = await start();

    await waitFor('WATCHDOG=1', () => count(notifications, 'WATCHDOG=1') >= 1, { timeoutMs: 30_000 });

    const workerPid = Number(/"workerPid":(\d+)/.exec(output())?.[1]);

    process.kill(workerPid, 'SIGKILL');

    const killedAt = Date.now();

    await waitFor('the new worker', () => output().includes('"msg":"worker replaced"'), { timeoutMs: 10_000 });
    await waitFor('WATCHDOG=1 after the replacement', () => count(notifications, 'WATCHDOG=1', killedAt) >= 3, {
      timeoutMs: 10_000,
    });
    expect(podium!.exitCode).toBeNull();
    expect(count(notifications, 'STOPPING=1')).toBe(0);
  });

  it('exits when no new worker starts', async () => {
    const { notifications, output } = await start({ workerLimit: 1 });

    await waitFor('WATCHDOG=1', () => count(notifications, 'WATCHDOG=1') >= 1, { timeoutMs: 30_000 });

    const workerPid = Number(/"workerPid":(\d+)/.exec(output())?.[1]);
    const exited = new Promise<number | null>((resolve) => podium!.once('exit', (code) => resolve(code)));

    process.kill(workerPid, 'SIGKILL');

    // Six failed starts with the default backoff take about 25 s.
    expect(await exited).toBe(1);
    expect(output()).toContain('giving up on the media workers');
    await waitFor('STOPPING=1', () => count(notifications, 'STOPPING=1') === 1, { timeoutMs: 5000 });
  }, 60_000);
});
