import { describe, expect, it } from 'vitest';
import { PodiumError } from '../errors.js';
import { MAX_MESSAGE_BYTES, requestSchemas } from './protocol.js';
import { parseRequest, type ParseResult } from './validate.js';

const KNOWN_TYPES =
  'join, getRouterRtpCapabilities, createRecvTransport, connectTransport, consume, resumeConsumer, ' +
  'createSendTransport, connectSendTransport, stopProducing, askQuestion, voteQuestion, setHand, answerStageInvite, leaveStage, sendCaption, stopConsuming, produce';

const fingerprint = { algorithm: 'sha-256', value: 'AB:CD:EF:01' };

/** Returns the failed result of a message, or fails the test when it parsed. */
function failure(raw: string): Extract<ParseResult, { ok: false }> {
  const result = parseRequest(raw);

  if (result.ok) throw new Error(`expected a failure for ${raw}`);

  return result;
}

function send(message: unknown): string {
  return JSON.stringify(message);
}

describe('parseRequest valid requests', () => {
  it.each([
    ['join', { page: 'watch' }],
    ['join', { page: 'console' }],
    ['getRouterRtpCapabilities', {}],
    ['createRecvTransport', {}],
    ['connectTransport', { dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }],
    ['connectTransport', { dtlsParameters: { fingerprints: [fingerprint, fingerprint] } }],
    ['consume', { rtpCapabilities: { codecs: [{ mimeType: 'video/H264' }], headerExtensions: [] } }],
    ['consume', { rtpCapabilities: {} }],
    ['resumeConsumer', { consumerId: 'c'.repeat(64) }],
    ['join', { page: 'watch', listenerKey: 'k'.repeat(16) }],
    ['voteQuestion', { questionId: 1 }],
    ['setHand', { raised: true }],
    ['answerStageInvite', { accept: true }],
    ['leaveStage', {}],
    ['sendCaption', { text: 'Guten Abend' }],
    ['stopConsuming', { source: 'program-audio' }],
  ])('accepts %s with %j', (type, data) => {
    const result = parseRequest(send({ id: 5, type, data }));

    expect(result).toEqual({ ok: true, request: { id: 5, type, data } });
  });

  it('fills missing data with empty object', () => {
    expect(parseRequest(send({ id: 0, type: 'createRecvTransport' }))).toEqual({
      ok: true,
      request: { id: 0, type: 'createRecvTransport', data: {} },
    });
  });

  it('accepts largest safe integer id', () => {
    const result = parseRequest(send({ id: Number.MAX_SAFE_INTEGER, type: 'getRouterRtpCapabilities' }));

    expect(result.ok).toBe(true);
  });

  it('covers every request type', () => {
    expect(Object.keys(requestSchemas).join(', ')).toBe(KNOWN_TYPES);
  });
});

describe('parseRequest malformed envelopes', () => {
  it('rejects invalid JSON', () => {
    const result = failure('{"id": 1, "type": "join"');

    expect(result.id).toBeUndefined();
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
    expect(result.error.statusCode).toBe(400);
    expect(result.error.message).toMatch(/^malformed signaling message: .+; send a JSON object$/);
  });

  it.each(['[1,2]', '"join"', '42', 'null', 'true'])('rejects non-object %s', (raw) => {
    const result = failure(raw);

    expect(result.id).toBeUndefined();
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
  });

  it('rejects missing id', () => {
    const result = failure(send({ type: 'join', data: { page: 'watch' } }));

    expect(result.id).toBeUndefined();
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
    expect(result.error.message).toContain("at the top level: must have required property 'id'");
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '7'])('rejects id %j without echoing it', (id) => {
    const result = failure(send({ id, type: 'join', data: { page: 'watch' } }));

    expect(result.id).toBeUndefined();
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
    expect(result.error.message).toContain('at /id:');
  });

  it('rejects missing type with id', () => {
    const result = failure(send({ id: 9 }));

    expect(result.id).toBe(9);
    expect(result.error.message).toContain("must have required property 'type'");
  });

  it('rejects extra envelope key with id', () => {
    const result = failure(send({ id: 3, type: 'join', data: { page: 'watch' }, token: 'x' }));

    expect(result.id).toBe(3);
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
    expect(result.error.message).toContain('must NOT have additional properties');
  });

  it.each([[['page']], ['watch'], [null]])('rejects data %j with id', (data) => {
    const result = failure(send({ id: 4, type: 'join', data }));

    expect(result.id).toBe(4);
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_MALFORMED');
    expect(result.error.message).toContain('at /data: must be object');
  });
});

describe('parseRequest unknown types', () => {
  it.each(['subscribe', 'toString', '__proto__', 'hasOwnProperty', ''])('rejects type %j', (type) => {
    const result = failure(send({ id: 7, type }));

    expect(result.id).toBe(7);
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_UNKNOWN_TYPE');
    expect(result.error.message).toBe(`unknown signaling message type "${type}"; known types: ${KNOWN_TYPES}`);
  });
});

describe('parseRequest invalid data', () => {
  it.each([
    ['join', { page: 'admin' }, 'at /page: must be equal to one of the allowed values'],
    ['join', {}, "at the top level: must have required property 'page'"],
    ['join', { page: 'watch', lang: 'de' }, 'must NOT have additional properties'],
    ['getRouterRtpCapabilities', { full: true }, 'must NOT have additional properties'],
    ['createRecvTransport', { tcp: true }, 'must NOT have additional properties'],
    ['connectTransport', { dtlsParameters: { fingerprints: [] } }, 'at /dtlsParameters/fingerprints: must NOT have fewer than 1 items'],
    ['connectTransport', { dtlsParameters: { fingerprints: Array(9).fill(fingerprint) } }, 'must NOT have more than 8 items'],
    ['connectTransport', { dtlsParameters: { role: 'both', fingerprints: [fingerprint] } }, 'at /dtlsParameters/role:'],
    ['connectTransport', { dtlsParameters: { fingerprints: [{ algorithm: 'sha-256' }] } }, "must have required property 'value'"],
    ['connectTransport', { dtlsParameters: { fingerprints: [fingerprint] }, iceParameters: {} }, 'must NOT have additional properties'],
    ['consume', { rtpCapabilities: { codecs: 'all' } }, 'at /rtpCapabilities/codecs: must be array'],
    ['consume', { rtpCapabilities: { codecs: Array(65).fill({}) } }, 'must NOT have more than 64 items'],
    ['consume', {}, "must have required property 'rtpCapabilities'"],
    ['resumeConsumer', { consumerId: 'c'.repeat(65) }, 'at /consumerId: must NOT have more than 64 characters'],
    ['resumeConsumer', { consumerId: '' }, 'at /consumerId: must NOT have fewer than 1 characters'],
    ['resumeConsumer', { consumerId: 42 }, 'at /consumerId: must be string'],
    ['resumeConsumer', { consumerId: 'c-1', paused: false }, 'must NOT have additional properties'],
    ['join', { page: 'watch', listenerKey: 'short' }, 'at /listenerKey: must match pattern'],
    ['join', { page: 'watch', listenerKey: 'k'.repeat(15) + '/' }, 'at /listenerKey: must match pattern'],
    ['voteQuestion', { questionId: 0 }, 'at /questionId: must be >= 1'],
    ['voteQuestion', { questionId: '7' }, 'at /questionId: must be integer'],
    ['setHand', {}, "must have required property 'raised'"],
    ['setHand', { raised: 'yes' }, 'at /raised: must be boolean'],
    ['answerStageInvite', {}, "must have required property 'accept'"],
    ['leaveStage', { now: true }, 'must NOT have additional properties'],
    ['sendCaption', { text: '   ' }, 'at /text: must match pattern "\\S"'],
    ['stopConsuming', { source: '' }, 'at /source: must NOT have fewer than 1 characters'],
  ])('rejects %s data %j', (type, data, detail) => {
    const result = failure(send({ id: 12, type, data }));

    expect(result.id).toBe(12);
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_INVALID');
    expect(result.error.statusCode).toBe(400);
    expect(result.error.message.startsWith(`invalid "${type}" message: `)).toBe(true);
    expect(result.error.message).toContain(detail);
  });
});

describe('parseRequest message size', () => {
  /** Builds a valid request padded with JSON whitespace to the given byte length. */
  function paddedRequest(bytes: number): string {
    const base = send({ id: 1, type: 'createRecvTransport' });

    return base + ' '.repeat(bytes - base.length);
  }

  it('accepts message at the limit', () => {
    expect(parseRequest(paddedRequest(MAX_MESSAGE_BYTES)).ok).toBe(true);
  });

  it('rejects message one byte over', () => {
    const result = failure(paddedRequest(MAX_MESSAGE_BYTES + 1));

    expect(result.id).toBeUndefined();
    expect(result.error.code).toBe('PODIUM_ERR_SIGNALING_TOO_LARGE');
    expect(result.error.statusCode).toBe(413);
    expect(result.error.message).toBe(
      `signaling message of ${MAX_MESSAGE_BYTES + 1} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`,
    );
  });

  it('counts UTF-8 bytes not characters', () => {
    // 40,000 characters of two bytes each: 80,000 bytes, over the 64 KiB limit.
    const raw = send({ id: 1, type: 'join', data: { page: 'ü'.repeat(40_000) } });

    expect(raw.length).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(failure(raw).error.code).toBe('PODIUM_ERR_SIGNALING_TOO_LARGE');
  });
});

/** mulberry32: a small seeded PRNG, so that a failing input can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;

    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseRequest random input', () => {
  const random = seededRandom(20261204);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const keys = ['id', 'type', 'data', 'page', 'dtlsParameters', 'fingerprints', 'consumerId', 'constructor'];
  const types = [...Object.keys(requestSchemas), 'toString', 'x'];

  function randomValue(depth: number): unknown {
    const choice = Math.floor(random() * (depth > 3 ? 6 : 8));

    switch (choice) {
      case 0: return null;
      case 1: return random() < 0.5;
      case 2: return Math.floor(random() * 2_000_000_000) * (random() < 0.3 ? -1 : 1) / (random() < 0.3 ? 7 : 1);
      case 3: return pick(types);
      case 4: return pick(['watch', 'console', '', 'ü'.repeat(70), 'sha-256']);
      case 5: return Number.MAX_SAFE_INTEGER + Math.floor(random() * 3);
      case 6: return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
      default: {
        const object: Record<string, unknown> = {};

        for (let i = Math.floor(random() * 4); i > 0; i -= 1) object[pick(keys)] = randomValue(depth + 1);

        return object;
      }
    }
  }

  function randomText(): string {
    const alphabet = '{}[]":,0123456789-.eE truefalsnul\\u\n\t\u00fc\ud83d\ude00';

    return Array.from({ length: Math.floor(random() * 60) }, () => pick([...alphabet])).join('');
  }

  function randomEnvelope(): unknown {
    return { id: randomValue(3), type: pick(types), data: randomValue(1) };
  }

  const inputs = [
    ...Array.from({ length: 200 }, randomText),
    ...Array.from({ length: 200 }, () => JSON.stringify(randomValue(0)) ?? 'undefined'),
    ...Array.from({ length: 200 }, () => JSON.stringify(randomEnvelope())),
    // Whatever the generator draws, each outcome occurs at least once.
    JSON.stringify({ id: 1, type: 'x', data: {} }),
    JSON.stringify({ id: 2, type: 'join', data: { page: 'nope' } }),
  ];

  it('never throws on random input', () => {
    const thrown = inputs.filter((raw) => {
      try {
        parseRequest(raw);

        return false;
      } catch {
        return true;
      }
    });

    expect(thrown).toEqual([]);
  });

  it('returns catalog error or request', () => {
    const codes = new Set<string>();

    for (const raw of inputs) {
      const result = parseRequest(raw);

      codes.add(result.ok ? 'ok' : result.error.code);
      if (!result.ok) expect(result.error).toBeInstanceOf(PodiumError);
    }
    expect([...codes].sort()).toEqual(
      expect.arrayContaining([
        'PODIUM_ERR_SIGNALING_INVALID',
        'PODIUM_ERR_SIGNALING_MALFORMED',
        'PODIUM_ERR_SIGNALING_UNKNOWN_TYPE',
      ]),
    );
    for (const code of codes) {
      expect(['ok', 'PODIUM_ERR_SIGNALING_INVALID', 'PODIUM_ERR_SIGNALING_MALFORMED', 'PODIUM_ERR_SIGNALING_UNKNOWN_TYPE']).toContain(code);
    }
  });
});
