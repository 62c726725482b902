import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { findFreeRtpPortPair } from '../../streams/local-ports.js';
import { sendZmqCommand } from './zmq-command-client.js';

/** Waits until ffmpeg's zmq filter answers, which means it has bound its port. */
async function waitForFilter(port: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;

  while (Date.now() < deadline) {
    try {
      return await sendZmqCommand(port, 'crop@ptz x 0', 1000);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw lastError;
}

describe('sendZmqCommand with a real ffmpeg', () => {
  let ffmpeg: ChildProcess;
  let port: number;
  const stderr: string[] = [];

  beforeAll(async () => {
    port = (await findFreeRtpPortPair()).rtpPort;
    ffmpeg = spawn(resolveFfmpegPath(), [
      '-hide_banner', '-nostdin', '-loglevel', 'info', '-re',
      '-f', 'lavfi', '-i',
      `testsrc2=size=640x360:rate=10,zmq=bind_address=tcp\\\\://127.0.0.1\\\\:${port},crop@ptz=320:180:0:0,showinfo`,
      '-f', 'null', '-',
    ]);
    ffmpeg.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    await waitForFilter(port);
  });

  afterAll(() => {
    ffmpeg?.kill('SIGKILL');
  });

  it('moves the crop window while ffmpeg runs', async () => {
    const reply = await sendZmqCommand(port, 'crop@ptz x 200', 10_000);

    expect(reply).toBe('0 Success');
  });

  it('returns the error of an unknown target', async () => {
    const reply = await sendZmqCommand(port, 'nosuchfilter x 1', 10_000);

    expect(reply).not.toBe('0 Success');
    expect(reply).toMatch(/^-?\d+ /);
  });

  it('keeps the picture size while the window moves', async () => {
    await sendZmqCommand(port, 'crop@ptz y 100', 10_000);

    const sizes = stderr.join('').match(/s:\d+x\d+/g) ?? [];

    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set(['s:320x180']));
  });

  it('rejects when nothing listens', async () => {
    const unused = (await findFreeRtpPortPair()).rtpPort;

    await expect(sendZmqCommand(unused, 'crop@ptz x 1', 1000)).rejects.toThrow(/cannot reach ffmpeg's zmq filter/);
  });
});
