import { describe, expect, it } from 'vitest';
import { checkRestreamTarget } from './restream-target.js';

describe('checkRestreamTarget', () => {
  it('trims what staff entered', () => {
    expect(checkRestreamTarget({ name: ' YouTube ', url: ' rtmps://a.rtmp.youtube.com/live2 ', streamKey: ' k-1 ' })).toEqual({
      name: 'YouTube',
      url: 'rtmps://a.rtmp.youtube.com/live2',
      streamKey: 'k-1',
    });
  });

  it('accepts empty key', () => {
    expect(checkRestreamTarget({ name: 'Owncast', url: 'rtmp://owncast.local/live/key', streamKey: '' }).streamKey).toBe('');
  });

  it.each([
    [{ name: '', url: 'rtmp://h/live', streamKey: '' }, '1 to 80 characters'],
    [{ name: 'x'.repeat(81), url: 'rtmp://h/live', streamKey: '' }, '1 to 80 characters'],
    [{ name: 'A', url: 'srt://h:9000', streamKey: '' }, '"srt:" addresses are not supported'],
    [{ name: 'A', url: 'rtmp://h/live', streamKey: 'a/b' }, 'without spaces, "/"'],
    [{ name: 'A', url: 'rtmp://h/live', streamKey: 'k'.repeat(257) }, 'at most 256 characters'],
  ])('rejects %j', (target, message) => {
    expect(() => checkRestreamTarget(target)).toThrow(message);
  });
});

describe('restream target without an application path', () => {
  it('is rejected before it could send the key as the application', () => {
    expect(() => checkRestreamTarget({ name: 'Owncast', url: 'rtmp://127.0.0.1:19350', streamKey: 'GEHEIMKEY99' })).toThrow(
      /no application path/,
    );
  });
});
