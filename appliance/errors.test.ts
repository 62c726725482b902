import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, podiumError, PodiumError, toErrorBody, type ErrorCode } from './errors.js';

// The catalog is a public contract: clients match on these codes and statuses.
const EXPECTED_STATUSES: Record<ErrorCode, number> = {
  PODIUM_ERR_EVENT_NOT_FOUND: 404,
  PODIUM_ERR_EVENT_NOT_STARTABLE: 409,
  PODIUM_ERR_OTHER_EVENT_RUNNING: 409,
  PODIUM_ERR_EVENT_NOT_RUNNING: 409,
  PODIUM_ERR_INVALID_REQUEST: 400,
  PODIUM_ERR_ROUTE_NOT_FOUND: 404,
  PODIUM_ERR_SIGNALING_MALFORMED: 400,
  PODIUM_ERR_SIGNALING_TOO_LARGE: 413,
  PODIUM_ERR_SIGNALING_UNKNOWN_TYPE: 400,
  PODIUM_ERR_SIGNALING_INVALID: 400,
  PODIUM_ERR_NOT_LIVE: 409,
  PODIUM_ERR_NO_TRANSPORT: 409,
  PODIUM_ERR_CONSUMER_NOT_FOUND: 404,
  PODIUM_ERR_UNAUTHORIZED: 401,
  PODIUM_ERR_FORBIDDEN: 403,
  PODIUM_ERR_LOGIN_FAILED: 401,
  PODIUM_ERR_RATE_LIMITED: 429,
  PODIUM_ERR_INVITE_INVALID: 403,
  PODIUM_ERR_INVITE_NOT_FOUND: 404,
  PODIUM_ERR_ACCESS_CODE_REQUIRED: 403,
  PODIUM_ERR_ACCESS_CODE_WRONG: 403,
  PODIUM_ERR_QUESTION_NOT_FOUND: 404,
  PODIUM_ERR_LOBBY_WAITING: 403,
  PODIUM_ERR_LOBBY_GUEST_NOT_FOUND: 404,
  PODIUM_ERR_ADMISSION_INVALID: 403,
  PODIUM_ERR_PTZ_UNAVAILABLE: 409,
  PODIUM_ERR_PTZ_PRESET_EMPTY: 409,
  PODIUM_ERR_PTZ_UNSUPPORTED: 409,
  PODIUM_ERR_PTZ_COMMAND_FAILED: 502,
  PODIUM_ERR_DISK_FULL: 507,
  PODIUM_ERR_RECORDING_RUNNING: 409,
  PODIUM_ERR_RECORDING_NOT_RUNNING: 409,
  PODIUM_ERR_RECORDING_NOT_FOUND: 404,
  PODIUM_ERR_CAPTION_EMPTY: 400,
  PODIUM_ERR_SOURCE_KIND: 400,
  PODIUM_ERR_STAGE_OCCUPIED: 409,
  PODIUM_ERR_STAGE_EMPTY: 409,
  PODIUM_ERR_NOT_INVITED: 409,
  PODIUM_ERR_HAND_NOT_RAISED: 404,
  PODIUM_ERR_PRODUCER_NOT_FOUND: 404,
  PODIUM_ERR_LAYOUT_UNAVAILABLE: 409,
  PODIUM_ERR_PROGRAM_NOT_RUNNING: 409,
  PODIUM_ERR_RESTREAM_NOT_FOUND: 404,
  PODIUM_ERR_DEVICE_NOT_FOUND: 404,
  PODIUM_ERR_MEETING_NOT_FOUND: 404,
  PODIUM_ERR_MEETING_ENDED: 410,
  PODIUM_ERR_MEETING_LOCKED: 423,
  PODIUM_ERR_MEETING_ACCESS_CODE: 403,
  PODIUM_ERR_MEETING_REMOVED: 403,
  PODIUM_ERR_MEETING_NOT_MODERATOR: 403,
  PODIUM_ERR_MEETING_NOT_JOINED: 409,
  PODIUM_ERR_MEETING_PEER_NOT_FOUND: 404,
  PODIUM_ERR_MEETING_TRACK_NOT_FOUND: 404,
  PODIUM_ERR_MEETING_INVALID: 400,
  PODIUM_ERR_MEETING_EMPTY: 409,
  PODIUM_ERR_MEDIA: 500,
  PODIUM_ERR_INTERNAL: 500,
};

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** Returns the code → status pairs of the table rows in docs/errors.md. */
function documentedStatuses(): Map<string, number> {
  const rows = docs.matchAll(/^\| `(PODIUM_ERR_[A-Z_]+)` \| (\d{3}) \|/gm);

  return new Map([...rows].map((row) => [row[1]!, Number(row[2])]));
}

describe('errorCatalog', () => {
  it('has exactly the pinned codes', () => {
    expect(Object.keys(errorCatalog).sort()).toEqual(Object.keys(EXPECTED_STATUSES).sort());
  });

  it.each(Object.entries(EXPECTED_STATUSES))('maps %s to %i', (code, status) => {
    expect(errorCatalog[code as ErrorCode].status).toBe(status);
  });
});

describe('docs/errors.md', () => {
  it.each(Object.keys(errorCatalog))('documents %s', (code) => {
    expect(docs).toContain(`\`${code}\``);
  });

  it.each(Object.entries(EXPECTED_STATUSES))('gives %s status %i', (code, status) => {
    expect(documentedStatuses().get(code)).toBe(status);
  });

  it('lists no unknown codes', () => {
    expect([...documentedStatuses().keys()].sort()).toEqual(Object.keys(errorCatalog).sort());
  });
});

describe('podiumError', () => {
  it.each([
    ['PODIUM_ERR_EVENT_NOT_FOUND', ['e-1'], 'event "e-1" not found; list events with GET /api/events'],
    ['PODIUM_ERR_EVENT_NOT_STARTABLE', ['e-2', 'ended'], 'event "e-2" is ended; only a ready or failed event can start'],
    ['PODIUM_ERR_OTHER_EVENT_RUNNING', ['e-3'], 'event "e-3" is running; stop it before starting another one'],
    ['PODIUM_ERR_EVENT_NOT_RUNNING', ['e-4', 'ready'], 'event "e-4" is ready; only a starting or live event can stop'],
    ['PODIUM_ERR_INVALID_REQUEST', ['body must have title'], 'invalid request: body must have title'],
    ['PODIUM_ERR_ROUTE_NOT_FOUND', ['GET', '/api/nope'], 'no route for GET /api/nope; see the README for the API'],
    ['PODIUM_ERR_SIGNALING_MALFORMED', ['bad JSON'], 'malformed signaling message: bad JSON; send a JSON object'],
    ['PODIUM_ERR_SIGNALING_TOO_LARGE', [70000, 65536], 'signaling message of 70000 bytes exceeds the limit of 65536 bytes'],
    ['PODIUM_ERR_SIGNALING_UNKNOWN_TYPE', ['ping', 'join, consume'], 'unknown signaling message type "ping"; known types: join, consume'],
    ['PODIUM_ERR_SIGNALING_INVALID', ['join', 'at /page: bad'], 'invalid "join" message: at /page: bad'],
    ['PODIUM_ERR_NOT_LIVE', ['ready'], 'no event is live (current state: ready); wait for the eventState "live"'],
    ['PODIUM_ERR_NO_TRANSPORT', [], 'no receive transport on this connection; send "createRecvTransport" first'],
    ['PODIUM_ERR_CONSUMER_NOT_FOUND', ['c-9'], 'consumer "c-9" not found on this connection'],
    ['PODIUM_ERR_UNAUTHORIZED', ['GET /api/events'], 'GET /api/events needs a staff login; sign in at /login'],
    ['PODIUM_ERR_FORBIDDEN', ['listener', 'publish into the room'], 'a listener may not publish into the room'],
    ['PODIUM_ERR_RATE_LIMITED', ['failed logins', 42], 'too many failed logins; try again in 42 s'],
    ['PODIUM_ERR_INVITE_INVALID', ['it has expired'], 'invite link not valid: it has expired; ask the event staff for a new link'],
    ['PODIUM_ERR_INVITE_NOT_FOUND', ['i-1'], 'invite "i-1" not found'],
    ['PODIUM_ERR_MEDIA', ['codec mismatch'], 'media server error: codec mismatch'],
    ['PODIUM_ERR_INTERNAL', [], 'internal error; the log has the details'],
  ] as [ErrorCode, unknown[], string][])('builds %s message', (code, args, message) => {
    const build = podiumError as (code: ErrorCode, ...args: unknown[]) => PodiumError;
    const error = build(code, ...args);

    expect(error).toBeInstanceOf(PodiumError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PodiumError');
    expect(error.code).toBe(code);
    expect(error.statusCode).toBe(EXPECTED_STATUSES[code]);
    expect(error.message).toBe(message);
  });
});

describe('toErrorBody', () => {
  it('keeps PodiumError status and body', () => {
    const result = toErrorBody(podiumError('PODIUM_ERR_EVENT_NOT_FOUND', 'e-7'));

    expect(result.status).toBe(404);
    expect(result.body).toEqual({
      code: 'PODIUM_ERR_EVENT_NOT_FOUND',
      message: 'event "e-7" not found; list events with GET /api/events',
    });
  });

  it('keeps 413 for too large', () => {
    expect(toErrorBody(podiumError('PODIUM_ERR_SIGNALING_TOO_LARGE', 2, 1)).status).toBe(413);
  });

  it.each([
    ['Error', new Error('SQLITE_CANTOPEN: /var/lib/podium/secret.sqlite')],
    ['TypeError', new TypeError('Cannot read properties of undefined (reading secret)')],
    ['string', 'secret string'],
    ['undefined', undefined],
    ['null', null],
    ['lookalike object', { code: 'PODIUM_ERR_EVENT_NOT_FOUND', statusCode: 404, message: 'secret lookalike' }],
  ])('maps %s to internal 500', (_kind, thrown) => {
    const result = toErrorBody(thrown);

    expect(result.status).toBe(500);
    expect(result.body).toEqual({ code: 'PODIUM_ERR_INTERNAL', message: 'internal error; the log has the details' });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
