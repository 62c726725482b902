import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../appliance/process/stderr-tail.js';
import { buildRestreamArgs, targetAddress } from './restream-output.js';

describe('targetAddress', () => {
  it('appends key as last path part', () => {
    expect(targetAddress('rtmps://a.rtmp.youtube.com/live2/', 'abcd-1234')).toBe('rtmps://a.rtmp.youtube.com/live2/abcd-1234');
  });

  it('keeps address without key', () => {
    expect(targetAddress('rtmp://owncast.local/live/key', '')).toBe('rtmp://owncast.local/live/key');
  });
});

describe('buildRestreamArgs', () => {
  const args = buildRestreamArgs('rtmp://peertube.example/live/secret-key');

  it('copies segments without encoding', () => {
    expect(args.join(' ')).toContain('-f mpegts -i pipe:0');
    expect(args.join(' ')).toContain('-c copy -f flv');
    expect(args).not.toContain('libx264');
  });

  it('ends with target address', () => {
    expect(args.at(-1)).toBe('rtmp://peertube.example/live/secret-key');
  });

  it('logs command line without key', () => {
    expect(redactSecrets(args.join(' '))).not.toContain('secret-key');
  });
});
