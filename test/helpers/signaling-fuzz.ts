import { MAX_MESSAGE_BYTES, requestSchemas } from '../../appliance/signaling/protocol.js';

/** A seeded pseudo-random generator (mulberry32), so that a failing fuzz run can be repeated. */
export class FuzzRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;

    let t = this.#state;

    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

const REQUEST_TYPES = Object.keys(requestSchemas);
const STRANGE_STRINGS = ['', ' ', '\u0000', '\ud800', '😀'.repeat(40), '__proto__', 'constructor', '{"', '\\', 'x'.repeat(5000)];
const STRANGE_NUMBERS = [-1, 0, 1.5, 2 ** 53, -(2 ** 60), Number.MAX_VALUE, 1e-300];

/** Returns a random string of printable ASCII, other Unicode and control characters. */
function randomText(random: FuzzRandom, maxLength: number): string {
  const length = random.int(0, maxLength);
  let text = '';

  for (let i = 0; i < length; i++) {
    const range = random.pick([
      [0x20, 0x7e],
      [0x00, 0x1f],
      [0xa0, 0x2fff],
      [0x1f300, 0x1f64f],
    ] as const);

    text += String.fromCodePoint(random.int(range[0], range[1]));
  }

  return text;
}

/** Returns a random JSON value, nested up to depth levels. */
function randomValue(random: FuzzRandom, depth: number): unknown {
  const kind = random.int(0, depth > 0 ? 7 : 4);

  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.chance(0.5) ? random.pick(STRANGE_NUMBERS) : random.int(-1000, 1000);
    case 3:
      return random.pick(STRANGE_STRINGS);
    case 4:
      return randomText(random, 40);
    case 5:
      return Array.from({ length: random.int(0, 5) }, () => randomValue(random, depth - 1));
    default: {
      const object: Record<string, unknown> = {};

      for (let i = random.int(0, 5); i > 0; i--) object[random.pick([...STRANGE_STRINGS, 'page', 'id', 'codecs', randomText(random, 8)])] = randomValue(random, depth - 1);

      return object;
    }
  }
}

/** Returns data that often passes a request's schema but is wrong for the room, or breaks the schema in one field. */
function randomRequestData(random: FuzzRandom, type: string): unknown {
  const dtlsParameters = {
    role: random.pick(['auto', 'client', 'server']),
    fingerprints: [{ algorithm: random.pick(['sha-256', 'sha-1', 'md5']), value: random.pick(['', 'AB:CD', randomText(random, 20)]) }],
  };
  const plausible: Record<string, () => unknown> = {
    join: () => ({ page: random.pick(['watch', 'watch', 'console', 'stage']), name: random.chance(0.5) ? randomText(random, 70) : undefined }),
    connectTransport: () => ({ dtlsParameters }),
    connectSendTransport: () => ({ dtlsParameters }),
    consume: () => ({
      rtpCapabilities: { codecs: Array.from({ length: random.int(0, 3) }, () => randomValue(random, 2)) },
      sources: random.chance(0.5) ? ['venue-camera', random.pick(STRANGE_STRINGS).slice(0, 32)] : undefined,
    }),
    resumeConsumer: () => ({ consumerId: random.pick(['x', randomText(random, 64) || 'y', '00000000-0000-0000-0000-000000000000']) }),
    produce: () => ({ kind: random.pick(['audio', 'video']), source: random.pick(['lectern-screen', 'remote-speaker', 'venue-camera', 'x']), rtpParameters: { codecs: [randomValue(random, 2)] } }),
    askQuestion: () => ({ text: random.pick(['Eine Frage?', ' ', randomText(random, 600)]) }),
  };

  if (random.chance(0.25)) return randomValue(random, 3);

  return plausible[type]?.() ?? {};
}

/** Returns a nested JSON array of the given depth. */
function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

export type FuzzMessage = { payload: string | Buffer; binary: boolean };

/**
 * Generates one random or malformed signaling message: text that is no
 * JSON, JSON that is no request, broken envelopes, known request types with
 * wrong data, requests in the wrong order, oversized and deeply nested
 * messages and binary frames. Each message that has an envelope gets the id
 * nextId, so that ids stay unique on one connection.
 */
export function fuzzMessage(random: FuzzRandom, nextId: number): FuzzMessage {
  const text = (payload: string): FuzzMessage => ({ payload, binary: false });
  const kind = random.int(0, 99);

  if (kind < 10) return text(randomText(random, 200));
  if (kind < 20) return text(JSON.stringify(randomValue(random, 4)));
  if (kind < 35) {
    const envelope: Record<string, unknown> = {
      id: random.chance(0.5) ? nextId : randomValue(random, 1),
      type: random.chance(0.5) ? random.pick(REQUEST_TYPES) : randomValue(random, 1),
      data: random.chance(0.5) ? {} : randomValue(random, 2),
    };

    if (random.chance(0.3)) envelope[random.pick(['extra', '__proto__', 'ok'])] = randomValue(random, 1);

    return text(JSON.stringify(envelope));
  }
  if (kind < 85) {
    const type = random.pick(REQUEST_TYPES);

    return text(JSON.stringify({ id: nextId, type, data: randomRequestData(random, type) }));
  }
  if (kind < 90) return text(JSON.stringify({ id: nextId, type: 'join', data: { page: 'x'.repeat(random.int(MAX_MESSAGE_BYTES, 3 * MAX_MESSAGE_BYTES)) } }));
  if (kind < 94) return text(deepArray(random.int(1000, MAX_MESSAGE_BYTES / 2 - 1)));
  if (kind < 97) return text(`{"id":${nextId},"type":"join","data":${deepArray(random.int(100, 10_000))}}`);

  return { payload: Buffer.from(Array.from({ length: random.int(0, 300) }, () => random.int(0, 255))), binary: true };
}
