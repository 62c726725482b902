import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, findSchemaProblems, loadConfig, parseConfig } from './load.js';
import { configSchema } from './schema.js';

const DEFAULTS = {
  http: { host: '127.0.0.1', port: 8080 },
  https: { enabled: true, host: '0.0.0.0', port: 8443, certFile: '', keyFile: '' },
  auth: { kioskAutoLogin: true, sessionHours: 12, loginAttemptsPer15Minutes: 10 },
  privacy: { keepQuestions: false, recordingRetentionDays: 30, operator: '', contact: '' },
  dataDir: 'data',
  log: { level: 'info' },
  sfu: {
    listenIp: '0.0.0.0',
    announcedAddress: '',
    port: 40000,
    rtcMinPort: 40100,
    rtcMaxPort: 40999,
    workers: 0,
    viewersPerWorker: 200,
  },
  venue: {
    video: {
      source: 'test-pattern',
      device: '/dev/video0',
      inputFormat: 'auto',
      width: 1280,
      height: 720,
      fps: 30,
      pipe: '',
    },
    audio: { source: 'test-tone', device: 'default', pipe: '' },
  },
  encoding: { videoBitrateKbps: 2500, x264Preset: 'veryfast', opusBitrateKbps: 64, aacBitrateKbps: 128 },
  hls: { playlistSegments: 10 },
  watch: { hlsFallbackSeconds: 5 },
  ptz: {
    camera: 'simulated',
    hid: { profile: 'logitech-ptz-pro-2' },
    viscaUdp: { host: '', port: 0, framing: 'sony-header', address: 1 },
    viscaSerial: { device: '/dev/ttyUSB0', baud: 9600, address: 1 },
    uvc: { device: '/dev/video0' },
    input: { enabled: false, profile: 'logitech-f310-directinput' },
  },
  turn: { urls: [], sharedSecret: '', credentialTtlSeconds: 3600 },
  metrics: { token: '' },
};

const tempDir = mkdtempSync(join(tmpdir(), 'podium-config-test-'));

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function writeTemp(name: string, text: string): string {
  const path = join(tempDir, name);

  writeFileSync(path, text);

  return path;
}

/** Returns the ConfigError that the call throws, or fails the test. */
function configErrorOf(call: () => unknown): ConfigError {
  try {
    call();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the call returned');
}

/** Builds a config object with one value set at a dotted path. */
function withValue(dottedKey: string, value: unknown): object {
  return dottedKey.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as object;
}

/** Returns the schema description of a leaf at a dotted path. */
function descriptionOf(dottedKey: string): string {
  type Node = { description?: string; properties?: Record<string, Node> };
  let node: Node | undefined = configSchema as Node;

  for (const key of dottedKey.split('.')) node = node?.properties?.[key];
  if (!node?.description) throw new Error(`no description for ${dottedKey}`);

  return node.description;
}

describe('parseConfig defaults', () => {
  it.each([{}, null, undefined])('fills every default from %j', (raw) => {
    expect(parseConfig(raw)).toEqual(DEFAULTS);
  });

  it('keeps given values beside defaults', () => {
    const config = parseConfig({ venue: { video: { fps: 25 } } });

    expect(config.venue.video.fps).toBe(25);
    expect(config.venue.video.width).toBe(1280);
    expect(config.venue.audio.source).toBe('test-tone');
  });

  it('leaves the input object unchanged', () => {
    const raw = { http: { port: 9000 } };

    parseConfig(raw);
    expect(raw).toEqual({ http: { port: 9000 } });
  });
});

describe('loadConfig without file', () => {
  it.each([undefined, ''])('returns defaults for path %j', (path) => {
    expect(loadConfig(path)).toEqual(DEFAULTS);
  });
});

// One bad value per leaf key: wrong type, out of range, bad enum value or bad pattern.
const badLeafValues: [key: string, value: unknown][] = [
  ['http.host', ''], ['http.host', 8080], ['http.port', 65536], ['http.port', '8080'],
  ['dataDir', ''], ['log.level', 'verbose'],
  ['sfu.listenIp', 'localhost'], ['sfu.announcedAddress', 'podium.example.org'],
  ['sfu.listenIp', 'fade'], ['sfu.listenIp', '999.999.999.999'], ['sfu.announcedAddress', ':'],
  ['sfu.port', -1], ['sfu.port', 70000], ['sfu.rtcMinPort', 0], ['sfu.rtcMaxPort', 65536],
  ['venue.video.source', 'hdmi'], ['venue.video.device', 'video0'], ['venue.video.inputFormat', 'rgb24'],
  ['venue.video.width', 318], ['venue.video.height', 2162], ['venue.video.width', 1281], ['venue.video.height', 721], ['venue.video.fps', 29.97], ['venue.video.fps', 61],
  ['venue.audio.source', 'pulse'], ['venue.audio.device', ''],
  ['encoding.videoBitrateKbps', 299], ['encoding.x264Preset', 'slow'],
  ['encoding.opusBitrateKbps', 257], ['encoding.aacBitrateKbps', 31],
  ['hls.playlistSegments', 2], ['watch.hlsFallbackSeconds', 0], ['watch.hlsFallbackSeconds', true],
  ['ptz.camera', 'serial'], ['ptz.hid.profile', ''], ['ptz.hid.profile', 'Logitech PTZ'],
  ['ptz.hid.profile', '/etc/podium/camera.yaml'], ['ptz.viscaUdp.host', 5],
  ['ptz.viscaUdp.port', 65536], ['ptz.viscaUdp.framing', 'tcp'], ['ptz.viscaUdp.address', 0],
  ['ptz.viscaUdp.address', 8], ['ptz.viscaSerial.device', 'ttyUSB0'], ['ptz.viscaSerial.baud', 9601],
  ['ptz.viscaSerial.address', 8], ['ptz.uvc.device', 'video0'], ['ptz.input.enabled', 'yes'],
  ['ptz.input.profile', 'pad.txt'],
];

describe('parseConfig leaf value errors', () => {
  it.each(badLeafValues)('rejects %s = %j', (key, value) => {
    const error = configErrorOf(() => parseConfig(withValue(key, value)));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.key).toBe(key);
    expect(error.problems[0]?.message).toBe(
      `key "${key}" has value ${JSON.stringify(value)}; allowed: ${descriptionOf(key)}`,
    );
    expect(error.message).toContain(`  - key "${key}"`);
  });

  it('quotes sfu.port message in full', () => {
    const error = configErrorOf(() => parseConfig({ sfu: { port: 70000 } }, '/etc/podium/podium.yaml'));

    expect(error.message).toBe(
      'invalid configuration in /etc/podium/podium.yaml:\n' +
        '  - key "sfu.port" has value 70000; allowed: an integer from 0 (any free port) to 65535, ' +
        'used for WebRTC over UDP and TCP',
    );
  });

  it('names section with wrong type', () => {
    const error = configErrorOf(() => parseConfig({ http: 5 }));

    expect(error.problems[0]?.key).toBe('http');
    expect(error.problems[0]?.message).toBe('key "http" has value 5; allowed: must be object');
  });

  it('accepts port 0 as any free port', () => {
    expect(parseConfig({ http: { port: 0 } }).http.port).toBe(0);
  });
});

describe('parseConfig unknown keys', () => {
  it('names unknown top-level key', () => {
    const error = configErrorOf(() => parseConfig({ htpp: {} }));

    expect(error.problems[0]?.key).toBe('htpp');
    expect(error.problems[0]?.message).toBe(
      'unknown key "htpp"; allowed keys here: http, https, auth, privacy, dataDir, log, sfu, venue, encoding, hls, watch, ptz, turn, metrics',
    );
  });

  it('names unknown nested key by path', () => {
    const error = configErrorOf(() => parseConfig({ venue: { video: { colour: 'red' } } }));

    expect(error.problems[0]?.key).toBe('venue.video.colour');
    expect(error.problems[0]?.message).toBe(
      'unknown key "venue.video.colour"; allowed keys here: source, device, inputFormat, width, height, fps, pipe',
    );
  });
});

describe('parseConfig cross-key rules', () => {
  it('rejects rtcMinPort above rtcMaxPort', () => {
    const error = configErrorOf(() => parseConfig({ sfu: { rtcMinPort: 41000, rtcMaxPort: 40500 } }));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.key).toBe('sfu.rtcMinPort');
    expect(error.problems[0]?.message).toBe(
      'key "sfu.rtcMinPort" has value 41000 and sfu.rtcMaxPort 40500; ' +
        'allowed: a range of at least 20 ports (each event uses about 8 inside the machine)',
    );
  });

  it('rejects a range of 19 ports', () => {
    const error = configErrorOf(() => parseConfig({ sfu: { rtcMinPort: 40500, rtcMaxPort: 40518 } }));

    expect(error.problems[0]?.key).toBe('sfu.rtcMinPort');
  });

  it('accepts a range of 20 ports', () => {
    expect(parseConfig({ sfu: { rtcMinPort: 40500, rtcMaxPort: 40519 } }).sfu.rtcMinPort).toBe(40500);
  });

  it.each([40100, 40500, 40999])('rejects sfu.port %i inside rtc range', (port) => {
    const error = configErrorOf(() => parseConfig({ sfu: { port } }));

    expect(error.problems[0]?.key).toBe('sfu.port');
    expect(error.problems[0]?.message).toBe(
      `key "sfu.port" has value ${port}, inside the range sfu.rtcMinPort..sfu.rtcMaxPort ` +
        '(40100..40999); allowed: a port outside that range',
    );
  });

  it.each([0, 40099, 41000])('accepts sfu.port %i outside rtc range', (port) => {
    expect(parseConfig({ sfu: { port, workers: 1 } }).sfu.port).toBe(port);
  });

  it('rejects worker ports reaching rtc range', () => {
    const error = configErrorOf(() => parseConfig({ sfu: { port: 40098, workers: 4 } }));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.key).toBe('sfu.port');
    expect(error.problems[0]?.message).toBe(
      'key "sfu.port" has value 40098, and the 4 workers listen on 40098..40101, ' +
        'which reaches into sfu.rtcMinPort..sfu.rtcMaxPort (40100..40999); ' +
        'allowed: a port whose block of 4 ports (one per worker, sfu.workers) is free, or fewer workers',
    );
  });

  it('rejects worker ports beyond 65535', () => {
    const error = configErrorOf(() => parseConfig({ sfu: { port: 65534, workers: 3 } }));

    expect(error.problems[0]?.message).toContain('listen on 65534..65536, beyond port 65535');
  });

  it('accepts worker ports just below rtc range', () => {
    expect(parseConfig({ sfu: { port: 40096, workers: 4 } }).sfu.workers).toBe(4);
  });

  it.each([['sfu.workers', 65], ['sfu.workers', -1], ['sfu.viewersPerWorker', 0]])(
    'rejects %s %i',
    (key, value) => {
      const name = key.split('.')[1]!;
      const error = configErrorOf(() => parseConfig({ sfu: { [name]: value } }));

      expect(error.problems[0]?.key).toBe(key);
    },
  );

  it('requires host for visca-udp', () => {
    const error = configErrorOf(() => parseConfig({ ptz: { camera: 'visca-udp' } }));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.key).toBe('ptz.viscaUdp.host');
    expect(error.problems[0]?.message).toBe(
      'key "ptz.viscaUdp.host" has value "" while ptz.camera is "visca-udp"; ' +
        "allowed: the camera's IP address or host name, such as 192.168.1.50",
    );
  });

  it('accepts visca-udp with host', () => {
    const config = parseConfig({ ptz: { camera: 'visca-udp', viscaUdp: { host: '192.168.1.50', framing: 'raw' } } });

    expect(config.ptz.viscaUdp).toEqual({ host: '192.168.1.50', port: 0, framing: 'raw', address: 1 });
  });

  it('accepts profile file path', () => {
    const config = parseConfig({ ptz: { camera: 'hid', hid: { profile: '/etc/podium/ptz/camera.json' } } });

    expect(config.ptz.hid.profile).toBe('/etc/podium/ptz/camera.json');
  });

  it.each(['video', 'audio'])('rejects raw-pipe %s without pipe', (kind) => {
    const error = configErrorOf(() => parseConfig({ venue: { [kind]: { source: 'raw-pipe' } } }));

    expect(error.problems[0]?.key).toBe(`venue.${kind}.pipe`);
    expect(error.problems[0]?.message).toBe(
      `key "venue.${kind}.pipe" is empty while venue.${kind}.source is raw-pipe; ` +
        'allowed: the path of a named pipe (mkfifo) that the raw source writes to',
    );
  });

  it('accepts raw-pipe sources with pipes', () => {
    const config = parseConfig({
      venue: { video: { source: 'raw-pipe', pipe: '/tmp/v.fifo' }, audio: { source: 'raw-pipe', pipe: '/tmp/a.fifo' } },
    });

    expect(config.venue.video.pipe).toBe('/tmp/v.fifo');
    expect(config.venue.audio.pipe).toBe('/tmp/a.fifo');
  });
});

describe('parseConfig several problems', () => {
  it('lists every problem at once', () => {
    const error = configErrorOf(() =>
      parseConfig({ http: { port: 'x' }, log: { level: 'loud' }, extra: 1 }, 'test.yaml'),
    );
    const keys = error.problems.map((problem) => problem.key).sort();

    expect(keys).toEqual(['extra', 'http.port', 'log.level']);
    expect(error.message.split('\n')[0]).toBe('invalid configuration in test.yaml:');
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });
});

describe('loadConfig files', () => {
  it('reads values from YAML file', () => {
    const path = writeTemp('good.yaml', 'http:\n  port: 9090\nvenue:\n  video:\n    fps: 25\n');
    const config = loadConfig(path);

    expect(config.http.port).toBe(9090);
    expect(config.venue.video.fps).toBe(25);
    expect(config.http.host).toBe('127.0.0.1');
  });

  it('returns defaults for empty file', () => {
    expect(loadConfig(writeTemp('empty.yaml', '# only a comment\n'))).toEqual(DEFAULTS);
  });

  it('reports YAML syntax error', () => {
    const path = writeTemp('broken.yaml', 'http:\n  port: [8080\n');
    const error = configErrorOf(() => loadConfig(path));

    expect(error.problems[0]?.key).toBe('(file)');
    expect(error.problems[0]?.message).toMatch(/^not valid YAML: /);
    expect(error.message.startsWith(`invalid configuration in ${path}:`)).toBe(true);
  });

  it('keeps a secret out of a YAML error', () => {
    const path = writeTemp('secret.yaml', 'turn:\n  sharedSecret: TopSecret: Value12345\n');
    const error = configErrorOf(() => loadConfig(path));

    expect(error.problems[0]?.message).toContain('at line 2, column 17');
    expect(error.message).not.toContain('Value12345');
  });

  it('reports missing file by code', () => {
    const path = join(tempDir, 'missing.yaml');
    const error = configErrorOf(() => loadConfig(path));

    expect(error.problems[0]?.key).toBe('(file)');
    expect(error.problems[0]?.message).toBe(
      'cannot read the file (ENOENT); check the path and its permissions',
    );
  });

  it('reports directory as unreadable file', () => {
    const error = configErrorOf(() => loadConfig(tempDir));

    expect(error.problems[0]?.message).toContain('(EISDIR)');
  });

  it.each([
    ['a list', '- http\n- log\n'],
    ['a scalar', 'just text\n'],
    ['a number', '42\n'],
  ])('rejects %s as document', (_kind, text) => {
    const error = configErrorOf(() => loadConfig(writeTemp('not-mapping.yaml', text)));

    expect(error.problems).toEqual([
      { key: '(top level)', message: 'the file must contain a mapping of keys, such as "http:"' },
    ]);
  });

  it('names the file in schema errors', () => {
    const path = writeTemp('bad-level.yaml', 'log:\n  level: loud\n');
    const error = configErrorOf(() => loadConfig(path));

    expect(error.message).toContain(`invalid configuration in ${path}:`);
    expect(error.message).toContain('key "log.level" has value "loud"');
  });
});

describe('findSchemaProblems secret masking', () => {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true });

  ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });

  const validate = ajv.compile<Record<string, unknown>>({
    type: 'object',
    additionalProperties: false,
    properties: {
      user: { type: 'string', minLength: 1, description: 'a user name' },
      password: { type: 'string', minLength: 12, 'x-secret': true, description: 'at least 12 characters' },
    },
  });

  it('masks secret value in message', () => {
    const problems = findSchemaProblems({ user: 'staff', password: 'hunter2' }, validate);

    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).not.toContain('hunter2');
    expect(problems[0]?.message).toBe('key "password" has value "***"; allowed: at least 12 characters');
  });

  it('masks secret with wrong type', () => {
    const problems = findSchemaProblems({ password: 987654321 }, validate);

    expect(problems[0]?.message).not.toContain('987654321');
    expect(problems[0]?.message).toContain('"***"');
  });

  it('shows non-secret value unmasked', () => {
    const problems = findSchemaProblems({ user: '' }, validate);

    expect(problems[0]?.message).toBe('key "user" has value ""; allowed: a user name');
  });

  it('returns nothing for valid value', () => {
    expect(findSchemaProblems({ user: 'staff', password: 'long enough secret' }, validate)).toEqual([]);
  });

  it('masks secret inside a reported object', () => {
    const withRequired = ajv.compile<Record<string, unknown>>({
      type: 'object',
      required: ['user'],
      properties: { user: { type: 'string' }, password: { type: 'string', 'x-secret': true } },
    });
    const problems = findSchemaProblems({ password: 'hunter2' }, withRequired);

    expect(problems[0]?.message).not.toContain('hunter2');
    expect(problems[0]?.message).toContain('{"password":"***"}');
  });
});

describe('parseConfig TURN and metrics secrets', () => {
  it('requires turn.sharedSecret with turn.urls', () => {
    const error = configErrorOf(() => parseConfig({ turn: { urls: ['turn:127.0.0.1:3478'] } }));

    expect(error.problems.map((p) => p.key)).toEqual(['turn.sharedSecret']);
    expect(error.message).toContain('at least 16 characters');
  });

  it('masks a short turn.sharedSecret', () => {
    const error = configErrorOf(() =>
      parseConfig({ turn: { urls: ['turn:127.0.0.1:3478'], sharedSecret: 'short-secret' } }),
    );

    expect(error.message).not.toContain('short-secret');
    expect(error.message).toContain('***');
  });

  it('masks a short metrics.token', () => {
    const error = configErrorOf(() => parseConfig({ metrics: { token: 'tok3n' } }));

    expect(error.problems.map((p) => p.key)).toEqual(['metrics.token']);
    expect(error.message).not.toContain('tok3n');
  });

  it('names a TURN URL of another scheme', () => {
    const error = configErrorOf(() => parseConfig({ turn: { urls: ['stun:127.0.0.1'], sharedSecret: 'x'.repeat(16) } }));

    expect(error.problems[0]?.key).toBe('turn.urls.0');
  });

  it('accepts TURN URLs with a long secret', () => {
    const config = parseConfig({
      turn: { urls: ['turns:turn.example.org:443?transport=tcp'], sharedSecret: 'x'.repeat(32) },
    });

    expect(config.turn.credentialTtlSeconds).toBe(3600);
  });
});
