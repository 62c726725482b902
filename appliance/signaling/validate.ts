import { Ajv, type ErrorObject } from 'ajv';
import { podiumError, type PodiumError } from '../errors.js';
import {
  envelopeSchema,
  MAX_MESSAGE_BYTES,
  requestSchemas,
  type Request,
  type RequestType,
} from './protocol.js';

const ajv = new Ajv({ allErrors: false, strict: true });
const validateEnvelope = ajv.compile(envelopeSchema);
const validators = Object.fromEntries(
  Object.entries(requestSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
) as Record<RequestType, ReturnType<typeof ajv.compile>>;
const knownTypes = Object.keys(requestSchemas).join(', ');

export type ParseResult =
  | { ok: true; request: Request }
  | { ok: false; id: number | undefined; error: PodiumError };

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];

  if (!first) return 'does not match the schema';

  const where = first.instancePath ? `at ${first.instancePath}` : 'at the top level';

  return `${where}: ${first.message ?? 'is invalid'}`;
}

/**
 * Parses and validates one signaling message. Never throws: every problem
 * comes back as a catalog error, with the request id when one was readable.
 */
export function parseRequest(raw: string): ParseResult {
  const size = Buffer.byteLength(raw);

  if (size > MAX_MESSAGE_BYTES) {
    return { ok: false, id: undefined, error: podiumError('PODIUM_ERR_SIGNALING_TOO_LARGE', size, MAX_MESSAGE_BYTES) };
  }

  let message: unknown;

  try {
    message = JSON.parse(raw);
  } catch (error) {
    return { ok: false, id: undefined, error: podiumError('PODIUM_ERR_SIGNALING_MALFORMED', (error as Error).message) };
  }

  const id = readId(message);

  if (!validateEnvelope(message)) {
    return { ok: false, id, error: podiumError('PODIUM_ERR_SIGNALING_MALFORMED', describe(validateEnvelope.errors)) };
  }

  const envelope = message as { id: number; type: string; data?: object };

  if (!Object.hasOwn(validators, envelope.type)) {
    return { ok: false, id, error: podiumError('PODIUM_ERR_SIGNALING_UNKNOWN_TYPE', envelope.type, knownTypes) };
  }

  const type = envelope.type as RequestType;
  const data = envelope.data ?? {};
  const validate = validators[type];

  if (!validate(data)) {
    return { ok: false, id, error: podiumError('PODIUM_ERR_SIGNALING_INVALID', type, describe(validate.errors)) };
  }

  return { ok: true, request: { id: envelope.id, type, data } as Request };
}

function readId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;

  const id = (message as { id?: unknown }).id;

  return Number.isSafeInteger(id) && (id as number) >= 0 ? (id as number) : undefined;
}
