import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { findFreeRtpPortPair } from '../../streams/local-ports.js';
import { sendZmqCommand, ZmqCommandClient } from './zmq-command-client.js';

/** Waits until ffmpeg's zmq filter replies, which means it has bound its port. */
async function waitForFilter(client: ZmqCommandClient): Promise<string> {
  const deadline = Date.now() + 30_000;
  let lastError: unknown;

  while (Date.now() < deadline) {
    try {
      return await client.send('crop@ptz x 0');
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
  let client: ZmqCommandClient;
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
    client = new ZmqCommandClient(port, 10_000);
    await waitForFilter(client);
  });

  afterAll(() => {
    client?.close();
    ffmpeg?.kill('SIGKILL');
  });

  it('moves the crop window while ffmpeg runs', async () => {
    const replies = await Promise.all([client.send('crop@ptz x 200'), client.send('crop@ptz x 240')]);

    expect(replies).toEqual(['0 Success', '0 Success']);

    const reply = await client.send('crop@ptz x 280');

    expect(reply).toBe('0 Success');
  });

  it('returns the error of an unknown target', async () => {
    const reply = await client.send('nosuchfilter x 1');

    expect(reply).not.toBe('0 Success');
    expect(reply).toMatch(/^-?\d+ /);
  });

  it('keeps the picture size while the window moves', async () => {
    await client.send('crop@ptz y 100');

    const sizes = stderr.join('').match(/s:\d+x\d+/g) ?? [];

    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set(['s:320x180']));
  });

  it('rejects when nothing listens', async () => {
    const unused = (await findFreeRtpPortPair()).rtpPort;

    await expect(sendZmqCommand(unused, 'crop@ptz x 1', 1000)).rejects.toThrow(/cannot reach ffmpeg's zmq filter/);
  });
});
