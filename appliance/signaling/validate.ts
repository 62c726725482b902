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

/** A parsed request of a protocol whose request types are T. */
export type ParsedRequest<T extends string> = { id: number; type: T; data: unknown };

export type ParseResult<R = Request> =
  | { ok: true; request: R }
  | { ok: false; id: number | undefined; error: PodiumError };

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];

  if (!first) return 'does not match the schema';

  const where = first.instancePath ? `at ${first.instancePath}` : 'at the top level';

  return `${where}: ${first.message ?? 'is invalid'}`;
}

/**
 * Returns the parser of one signaling protocol (the event's, the
 * meetings'): the envelope, the size limit and the error codes are the same,
 * the request types and their schemas differ.
 */
export function createRequestParser<T extends string>(schemas: Record<T, object>): (raw: string) => ParseResult<ParsedRequest<T>> {
  const validators = new Map(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema as object)]));
  const knownTypes = Object.keys(schemas).join(', ');

  return (raw) => {
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
    const validate = validators.get(envelope.type);

    if (!validate) {
      return { ok: false, id, error: podiumError('PODIUM_ERR_SIGNALING_UNKNOWN_TYPE', envelope.type, knownTypes) };
    }

    const data = envelope.data ?? {};

    if (!validate(data)) {
      return { ok: false, id, error: podiumError('PODIUM_ERR_SIGNALING_INVALID', envelope.type, describe(validate.errors)) };
    }

    return { ok: true, request: { id: envelope.id, type: envelope.type as T, data } };
  };
}

const parseEventRequest = createRequestParser<RequestType>(requestSchemas);

/**
 * Parses and validates one message of the event signaling. Never throws:
 * every problem comes back as a catalog error, with the request id when one
 * was readable.
 */
export function parseRequest(raw: string): ParseResult {
  return parseEventRequest(raw) as ParseResult;
}

function readId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;

  const id = (message as { id?: unknown }).id;

  return Number.isSafeInteger(id) && (id as number) >= 0 ? (id as number) : undefined;
}
