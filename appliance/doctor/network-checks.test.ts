import { describe, expect, it } from 'vitest';
import { formatChecklist, fail, ok, warn } from './check.js';
import { parseConfig } from '../config/load.js';
import { checkPorts, checkResolvable, hostOf } from './network-checks.js';

describe('hostOf', () => {
  it.each([
    ['rtmps://a.rtmp.youtube.com/live2', 'a.rtmp.youtube.com'],
    ['rtmp://127.0.0.1:1935/live', '127.0.0.1'],
    ['turn:turn.example.org:3478', 'turn.example.org'],
    ['turns:turn.example.org:443?transport=tcp', 'turn.example.org'],
    ['turn:turn.example.org?transport=udp', 'turn.example.org'],
    ['turn:[2001:db8::1]:3478', '2001:db8::1'],
    ['rtmp://[2001:db8::2]/live', '2001:db8::2'],
  ])('%s', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });

  it('returns undefined for no URL', () => {
    expect(hostOf('not a url')).toBeUndefined();
  });
});

describe('checkResolvable', () => {
  it('passes localhost', async () => {
    const [result] = await checkResolvable('Restream target', ['rtmp://localhost/live']);

    expect(result?.status).toBe('ok');
  });

  it('fails a reserved .invalid name', async () => {
    const [result] = await checkResolvable('Restream target', ['rtmp://podium-doctor.invalid/live']);

    expect(result?.status).toBe('fail');
    expect(result?.name).toBe('Restream target podium-doctor.invalid');
  });
});

describe('formatChecklist', () => {
  it('puts each fix below its check', () => {
    const text = formatChecklist([ok('A', 'fine'), fail('B', 'broken', 'repair it'), warn('C', 'odd', 'look at it')]);

    expect(text).toContain('[ ok ] A: fine\n[FAIL] B: broken\n       fix: repair it\n[warn] C: odd\n       fix: look at it\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 failed, 1 warnings.');
  });

  it('says when all passed', () => {
    expect(formatChecklist([ok('A', 'fine')])).toContain('All checks passed.');
  });
});

describe('checkPorts', () => {
  it('checks one WebRTC port per worker', async () => {
    // Ports on loopback far from Podium's defaults, so a running Podium does not interfere.
    const config = parseConfig({ https: { enabled: false }, http: { port: 0 }, sfu: { listenIp: '127.0.0.1', port: 47310, workers: 3 } }, 'the test');
    const names = (await checkPorts(config, false)).map((result) => result.name);

    expect(names).toEqual([
      'HTTP port 127.0.0.1:0',
      'WebRTC port (TCP) 127.0.0.1:47310',
      'WebRTC port (UDP) 127.0.0.1:47310',
      'WebRTC port of worker 1 (TCP) 127.0.0.1:47311',
      'WebRTC port of worker 1 (UDP) 127.0.0.1:47311',
      'WebRTC port of worker 2 (TCP) 127.0.0.1:47312',
      'WebRTC port of worker 2 (UDP) 127.0.0.1:47312',
    ]);
  });
});
