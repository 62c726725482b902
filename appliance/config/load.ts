import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { webRtcPorts } from '../sfu/port-plan.js';
import { configSchema, type PodiumConfig } from './schema.js';

/** One problem found in a configuration, tied to its key. */
export type ConfigProblem = { key: string; message: string };

/** Thrown when a configuration cannot be used; the message lists every problem. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(source: string, problems: ConfigProblem[]) {
    const list = problems.map((p) => `  - ${p.message}`).join('\n');

    super(`invalid configuration in ${source}:\n${list}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type SchemaNode = {
  description?: string;
  properties?: Record<string, SchemaNode>;
  'x-secret'?: boolean;
};

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true });

ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
ajv.addFormat('ip-address', (value: string) => isIP(value) !== 0);
ajv.addFormat('ip-address-or-empty', (value: string) => value === '' || isIP(value) !== 0);

const validateSchema = ajv.compile(configSchema);

/**
 * Validates a parsed configuration object against a schema, fills in defaults
 * and returns the problems, each naming the key, the value (masked for keys
 * marked x-secret) and what the key allows.
 */
export function findSchemaProblems(
  value: unknown,
  validate: typeof validateSchema = validateSchema,
): ConfigProblem[] {
  if (validate(value)) return [];

  return (validate.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): ConfigProblem {
  const path = error.instancePath.split('/').filter(Boolean);

  if (error.keyword === 'additionalProperties') {
    const unknown = String(error.params.additionalProperty);
    const parentSchema = error.parentSchema as SchemaNode;
    const allowed = Object.keys(parentSchema.properties ?? {}).join(', ');
    const key = [...path, unknown].join('.');

    return { key, message: `unknown key "${key}"; allowed keys here: ${allowed}` };
  }

  const key = path.join('.') || '(top level)';
  const leaf = error.parentSchema as SchemaNode;
  const maskedValue = JSON.stringify(maskSecrets(error.data, leaf));
  const allowed = leaf.description ?? (error.message ?? 'see the configuration reference');

  return { key, message: `key "${key}" has value ${maskedValue}; allowed: ${allowed}` };
}

/** Returns the value with every part that the schema marks x-secret replaced by "***". */
function maskSecrets(value: unknown, schema: SchemaNode | undefined): unknown {
  if (schema?.['x-secret']) return '***';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;

  return Object.fromEntries(
    Object.entries(value).map(([name, child]) => [name, maskSecrets(child, schema?.properties?.[name])]),
  );
}

/** Ports the worker range must hold: one event uses about 8 for capture and HLS. */
const MIN_RTC_PORTS = 20;

/**
 * Worker i listens on sfu.port + i, so the block of all workers' ports must
 * end at 65535 or below and stay outside the internal range.
 */
function findWorkerPortProblems(sfu: PodiumConfig['sfu']): ConfigProblem[] {
  const ports = webRtcPorts(sfu);
  const last = ports[ports.length - 1] ?? sfu.port;

  if (sfu.port === 0 || ports.length < 2) return [];

  const overlaps = sfu.port <= sfu.rtcMaxPort && last >= sfu.rtcMinPort;

  if (last <= 65535 && !overlaps) return [];

  return [
    {
      key: 'sfu.port',
      message:
        `key "sfu.port" has value ${sfu.port}, and the ${ports.length} workers listen on ${sfu.port}..${last}, ` +
        (last > 65535 ? 'beyond port 65535' : `which reaches into sfu.rtcMinPort..sfu.rtcMaxPort (${sfu.rtcMinPort}..${sfu.rtcMaxPort})`) +
        `; allowed: a port whose block of ${ports.length} ports (one per worker, sfu.workers) is free, ` +
        'or fewer workers',
    },
  ];
}

/** Rules that involve more than one key. */
function findCrossKeyProblems(config: PodiumConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { sfu } = config;

  if (sfu.rtcMaxPort - sfu.rtcMinPort < MIN_RTC_PORTS - 1) {
    problems.push({
      key: 'sfu.rtcMinPort',
      message:
        `key "sfu.rtcMinPort" has value ${sfu.rtcMinPort} and sfu.rtcMaxPort ${sfu.rtcMaxPort}; ` +
        `allowed: a range of at least ${MIN_RTC_PORTS} ports (each event uses about 8 inside the machine)`,
    });
  }
  if (sfu.port !== 0 && sfu.port >= sfu.rtcMinPort && sfu.port <= sfu.rtcMaxPort) {
    problems.push({
      key: 'sfu.port',
      message:
        `key "sfu.port" has value ${sfu.port}, inside the range sfu.rtcMinPort..sfu.rtcMaxPort ` +
        `(${sfu.rtcMinPort}..${sfu.rtcMaxPort}); allowed: a port outside that range`,
    });
  } else {
    problems.push(...findWorkerPortProblems(sfu));
  }
  for (const kind of ['video', 'audio'] as const) {
    const { source, pipe } = config.venue[kind];

    if (source === 'raw-pipe' && pipe === '') {
      problems.push({
        key: `venue.${kind}.pipe`,
        message:
          `key "venue.${kind}.pipe" is empty while venue.${kind}.source is raw-pipe; ` +
          'allowed: the path of a named pipe (mkfifo) that the raw source writes to',
      });
    }
  }

  if (config.ptz.camera === 'visca-udp' && config.ptz.viscaUdp.host === '') {
    problems.push({
      key: 'ptz.viscaUdp.host',
      message:
        'key "ptz.viscaUdp.host" has value "" while ptz.camera is "visca-udp"; ' +
        'allowed: the camera\'s IP address or host name, such as 192.168.1.50',
    });
  }

  problems.push(...findSecretProblems(config));

  return problems;
}

/** Shortest shared secret and token accepted; shorter ones are guessable. */
const MIN_SECRET_LENGTH = 16;

function findSecretProblems(config: PodiumConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { turn, metrics } = config;

  if (turn.urls.length > 0 && turn.sharedSecret.length < MIN_SECRET_LENGTH) {
    problems.push({
      key: 'turn.sharedSecret',
      message:
        `key "turn.sharedSecret" has value "${turn.sharedSecret ? '***' : ''}" while turn.urls is set; ` +
        `allowed: the TURN server's static-auth-secret, at least ${MIN_SECRET_LENGTH} characters`,
    });
  }
  if (metrics.token !== '' && metrics.token.length < MIN_SECRET_LENGTH) {
    problems.push({
      key: 'metrics.token',
      message:
        'key "metrics.token" has value "***"; ' +
        `allowed: empty, or a token of at least ${MIN_SECRET_LENGTH} characters`,
    });
  }

  return problems;
}

/**
 * Validates a configuration object and returns it with every default filled
 * in. Throws ConfigError naming each bad key.
 */
export function parseConfig(raw: unknown, source = 'the configuration'): PodiumConfig {
  const value = raw ?? {};

  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(source, [
      { key: '(top level)', message: 'the file must contain a mapping of keys, such as "http:"' },
    ]);
  }

  const copy = structuredClone(value);
  const problems = findSchemaProblems(copy);

  if (problems.length > 0) throw new ConfigError(source, problems);

  const config = copy as PodiumConfig;
  const crossProblems = findCrossKeyProblems(config);

  if (crossProblems.length > 0) throw new ConfigError(source, crossProblems);

  return config;
}

/**
 * Reads a YAML configuration file. Without a path, every key takes its
 * default (the built-in test pattern and tone as the venue source).
 */
export function loadConfig(path: string | undefined): PodiumConfig {
  if (!path) return parseConfig({}, 'the built-in defaults');

  let text: string;

  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);

    throw new ConfigError(path, [
      { key: '(file)', message: `cannot read the file (${reason}); check the path and its permissions` },
    ]);
  }

  let raw: unknown;

  try {
    raw = parseYaml(text);
  } catch (error) {
    // The parser's message quotes the line, which may hold a secret: keep only its first line and the position.
    const detail =
      error instanceof YAMLParseError
        ? `${error.message.split('\n')[0]!.replace(/:\s*$/, '')}`
        : 'the parser failed';

    throw new ConfigError(path, [{ key: '(file)', message: `not valid YAML: ${detail}` }]);
  }

  return parseConfig(raw, path);
}
