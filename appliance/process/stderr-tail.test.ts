import { describe, expect, it } from 'vitest';
import { redactSecrets, StderrTail } from './stderr-tail.js';

function tailOf(chunks: string[], maxLines?: number): string[] {
  const tail = new StderrTail(maxLines);

  for (const chunk of chunks) tail.push(chunk);

  return tail.lines();
}

describe('StderrTail line limit', () => {
  it('keeps last N lines', () => {
    expect(tailOf(['a\nb\nc\nd\ne\n'], 3)).toEqual(['c', 'd', 'e']);
  });

  it('keeps twelve lines by default', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
    const tailLines = tailOf([`${lines.join('\n')}\n`]);

    expect(tailLines).toHaveLength(12);
    expect(tailLines[0]).toBe('line 9');
    expect(tailLines.at(-1)).toBe('line 20');
  });

  it('counts unfinished line in limit', () => {
    expect(tailOf(['a\nb\nc\npartial'], 3)).toEqual(['b', 'c', 'partial']);
  });

  it('returns nothing before output', () => {
    expect(new StderrTail().lines()).toEqual([]);
  });

  it('drops the per-frame pixel format warning', () => {
    const warning = '[swscaler @ 0x55b6d4a0ad40] [swscaler @ 0x55b6d4a18000] deprecated pixel format used, make sure you did set range correctly';

    expect(tailOf([`${warning}\nError opening input\n${warning}\n`])).toEqual(['Error opening input']);
  });
});

describe('StderrTail line splitting', () => {
  it('joins line split across chunks', () => {
    expect(tailOf(['hel', 'lo\nwor', 'ld\n'])).toEqual(['hello', 'world']);
  });

  it('splits on CRLF', () => {
    expect(tailOf(['first\r\nsecond\r\n'])).toEqual(['first', 'second']);
  });

  it('handles CRLF split across chunks', () => {
    expect(tailOf(['first\r', '\nsecond\r\n'])).toEqual(['first', 'second']);
  });

  it('splits on bare CR', () => {
    expect(tailOf(['frame=1\rframe=2\rdone\n'])).toEqual(['frame=1', 'frame=2', 'done']);
  });

  it('skips blank lines', () => {
    expect(tailOf(['a\n\n   \n\r\n\tb\n'])).toEqual(['a', '\tb']);
  });

  it('includes unfinished last line', () => {
    expect(tailOf(['done\nstill writ', 'ing'])).toEqual(['done', 'still writing']);
  });

  it('ignores blank unfinished line', () => {
    expect(tailOf(['done\n   '])).toEqual(['done']);
  });
});

describe('StderrTail consumeLine', () => {
  it('drops lines the consumer takes', () => {
    const consumed: string[] = [];
    const tail = new StderrTail(12, (line) => {
      if (!line.startsWith('[level]')) return false;
      consumed.push(line);

      return true;
    });

    tail.push('[level] -6\nwarning one\n[level] -9\n');
    expect(tail.lines()).toEqual(['warning one']);
    expect(consumed).toEqual(['[level] -6', '[level] -9']);
  });

  it('passes only complete non-blank lines', () => {
    const seen: string[] = [];
    const tail = new StderrTail(12, (line) => {
      seen.push(line);

      return false;
    });

    tail.push('a\n\nb');
    expect(seen).toEqual(['a']);
    tail.push('c\n');
    expect(seen).toEqual(['a', 'bc']);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['rtmp://user:pass@live.example.org/app/stream', 'rtmp://***@live.example.org/app/***'],
    ['RTMPS://Staff:S3cret@host:443/app', 'RTMPS://***@host:443/app'],
    ['rtmp://user:p@ss@host/app', 'rtmp://***@host/app'],
    ['rtmp://:pw@host/app', 'rtmp://***@host/app'],
    ['rtmp://a.rtmp.example.com/live2/abcd-efgh-ijkl', 'rtmp://a.rtmp.example.com/live2/***'],
    ['https://host/api?access_token=S3CRET&x=1', 'https://host/api?access_token=***&x=1'],
    ['stream_key=S3CRET api_key=S3CRET', 'stream_key=*** api_key=***'],
    ['rtmp://host/app?key=abc123', 'rtmp://host/app?key=***'],
    ['https://host/hls?token=t0k3n&quality=hd', 'https://host/hls?token=***&quality=hd'],
    ['login with password=hunter2 failed', 'login with password=*** failed'],
    ['srt://host:9000?streamid=#!::r=live,m=publish&latency=200', 'srt://host:9000?streamid=***&latency=200'],
    ['srt://host:9000?passphrase=longsecret', 'srt://host:9000?passphrase=***'],
    ['secret=x passwd=y Token=z', 'secret=*** passwd=*** Token=***'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('keeps text without secrets', () => {
    const text = "[rtp @ 0x55] Input #0, sdp, from 'rtp://127.0.0.1:5004?rtcpport=5005':";

    expect(redactSecrets(text)).toBe(text);
  });

  it('redacts every occurrence', () => {
    expect(redactSecrets('key=a key=b')).toBe('key=*** key=***');
  });
});

describe('StderrTail redaction', () => {
  it('redacts complete lines', () => {
    const tailLines = tailOf(['[tcp] Connection to rtmp://user:pass@host/app failed\n']);

    expect(tailLines).toEqual(['[tcp] Connection to rtmp://***@host/app failed']);
    expect(tailLines.join('\n')).not.toContain('pass@');
  });

  it('redacts unfinished line', () => {
    expect(tailOf(['opening rtmp://host/app?key=abc'])).toEqual(['opening rtmp://host/app?key=***']);
  });

  it('redacts secret split across chunks', () => {
    expect(tailOf(['url srt://h?streamid=pub', 'lish-secret\n'])).toEqual(['url srt://h?streamid=***']);
  });
});

describe('known secrets', () => {
  it('are removed wherever they stand, with characters no pattern expects', () => {
    const tail = new StderrTail(12, undefined, ['abc&GEHEIM:99']);

    tail.push('rtmp://127.0.0.1:19350/abc&GEHEIM:99: Input/output error\n');

    expect(tail.lines()).toEqual(['rtmp://127.0.0.1:19350/***: Input/output error']);
    expect(redactSecrets('-i rtmp://h/abc&GEHEIM:99', ['abc&GEHEIM:99'])).toBe('-i rtmp://h/***');
  });
});
