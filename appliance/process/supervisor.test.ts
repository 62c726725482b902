import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { Supervisor } from './supervisor.js';

const logger = createLogger('silent');

describe('Supervisor.run', () => {
  it('returns standard output', async () => {
    const supervisor = new Supervisor(logger);
    const result = await supervisor.run({
      name: 'printf',
      command: '/usr/bin/printf',
      args: ['pan_absolute: %d\\ntilt_absolute: %d\\n', '3600', '-7200'],
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('pan_absolute: 3600\ntilt_absolute: -7200\n');
  });

  it('keeps output split over many chunks', async () => {
    const supervisor = new Supervisor(logger);
    const result = await supervisor.run({ name: 'seq', command: '/usr/bin/seq', args: ['1', '20000'] });
    const lines = result.stdout.trimEnd().split('\n');

    expect(lines).toHaveLength(20000);
    expect(lines.at(-1)).toBe('20000');
  });

  it('caps output at 1 MiB', async () => {
    const supervisor = new Supervisor(logger);
    const result = await supervisor.run({
      name: 'head',
      command: '/usr/bin/head',
      args: ['-c', String(3 * 1024 * 1024), '/dev/zero'],
    });

    expect(Buffer.byteLength(result.stdout)).toBe(1024 * 1024);
  });

  it('rejects a failing command with its stderr', async () => {
    const supervisor = new Supervisor(logger);
    const run = supervisor.run({
      name: 'fails',
      command: '/bin/sh',
      args: ['-c', 'echo out; echo broken >&2; exit 4'],
    });

    await expect(run).rejects.toThrow('fails failed with exit code 4: broken');
  });

  it('discards output of started processes', async () => {
    const supervisor = new Supervisor(logger);
    const child = supervisor.start({ name: 'echo', command: '/bin/echo', args: ['hello'] });

    await child.exited();

    expect(child.stdout()).toBe('');
  });
});
