/**
 * The one catalog of Podium's errors. Each code is stable (clients and tests
 * match on it), has one HTTP status, and builds a message that names the
 * value at fault and what to do. docs/errors.md documents every code.
 */
export const errorCatalog = {
  PODIUM_ERR_EVENT_NOT_FOUND: {
    status: 404,
    message: (eventId: string) => `event "${eventId}" not found; list events with GET /api/events`,
  },
  PODIUM_ERR_EVENT_NOT_STARTABLE: {
    status: 409,
    message: (eventId: string, state: string) =>
      `event "${eventId}" is ${state}; only a ready or failed event can start`,
  },
  PODIUM_ERR_OTHER_EVENT_RUNNING: {
    status: 409,
    message: (runningId: string) =>
      `event "${runningId}" is running; stop it before starting another one`,
  },
  PODIUM_ERR_EVENT_NOT_RUNNING: {
    status: 409,
    message: (eventId: string, state: string) =>
      `event "${eventId}" is ${state}; only a starting or live event can stop`,
  },
  PODIUM_ERR_INVALID_REQUEST: {
    status: 400,
    message: (detail: string) => `invalid request: ${detail}`,
  },
  PODIUM_ERR_ROUTE_NOT_FOUND: {
    status: 404,
    message: (method: string, url: string) => `no route for ${method} ${url}; see the README for the API`,
  },
  PODIUM_ERR_SIGNALING_MALFORMED: {
    status: 400,
    message: (detail: string) => `malformed signaling message: ${detail}; send a JSON object`,
  },
  PODIUM_ERR_SIGNALING_TOO_LARGE: {
    status: 413,
    message: (size: number, limit: number) =>
      `signaling message of ${size} bytes exceeds the limit of ${limit} bytes`,
  },
  PODIUM_ERR_SIGNALING_UNKNOWN_TYPE: {
    status: 400,
    message: (type: string, known: string) => `unknown signaling message type "${type}"; known types: ${known}`,
  },
  PODIUM_ERR_SIGNALING_INVALID: {
    status: 400,
    message: (type: string, detail: string) => `invalid "${type}" message: ${detail}`,
  },
  PODIUM_ERR_NOT_LIVE: {
    status: 409,
    message: (state: string) => `no event is live (current state: ${state}); wait for the eventState "live"`,
  },
  PODIUM_ERR_NO_TRANSPORT: {
    status: 409,
    message: () => 'no receive transport on this connection; send "createRecvTransport" first',
  },
  PODIUM_ERR_CONSUMER_NOT_FOUND: {
    status: 404,
    message: (consumerId: string) => `consumer "${consumerId}" not found on this connection`,
  },
  PODIUM_ERR_UNAUTHORIZED: {
    status: 401,
    message: (what: string) => `${what} needs a staff login; sign in at /login`,
  },
  PODIUM_ERR_FORBIDDEN: {
    status: 403,
    message: (role: string, what: string) => `a ${role} may not ${what}`,
  },
  PODIUM_ERR_LOGIN_FAILED: {
    status: 401,
    message: () => 'wrong staff password; try again, or set a new one with npm run set-staff-password',
  },
  PODIUM_ERR_RATE_LIMITED: {
    status: 429,
    message: (what: string, seconds: number) => `too many ${what}; try again in ${seconds} s`,
  },
  PODIUM_ERR_INVITE_INVALID: {
    status: 403,
    message: (reason: string) => `invite link not valid: ${reason}; ask the event staff for a new link`,
  },
  PODIUM_ERR_INVITE_NOT_FOUND: {
    status: 404,
    message: (inviteId: string) => `invite "${inviteId}" not found`,
  },
  PODIUM_ERR_ACCESS_CODE_REQUIRED: {
    status: 403,
    message: () => 'this event needs its access code; enter the code from your invitation',
  },
  PODIUM_ERR_ACCESS_CODE_WRONG: {
    status: 403,
    message: () => 'wrong access code; check the code from your invitation',
  },
  PODIUM_ERR_QUESTION_NOT_FOUND: {
    status: 404,
    message: (questionId: number) => `question ${questionId} not found in the current event; reload the question list`,
  },
  PODIUM_ERR_LOBBY_WAITING: {
    status: 403,
    message: () => 'this event has a lobby and staff have not admitted you yet; wait on the watch page',
  },
  PODIUM_ERR_LOBBY_GUEST_NOT_FOUND: {
    status: 404,
    message: (peerId: string) => `no listener "${peerId}" waits in the lobby; they may have left or been admitted`,
  },
  PODIUM_ERR_ADMISSION_INVALID: {
    status: 403,
    message: () => 'admission ticket not valid; reload the watch page and wait in the lobby again',
  },
  PODIUM_ERR_PTZ_UNAVAILABLE: {
    status: 409,
    message: () => 'no PTZ camera is connected; start an event with the built-in test picture or connect a camera',
  },
  PODIUM_ERR_PTZ_PRESET_EMPTY: {
    status: 409,
    message: (name: string) => `camera position "${name}" is not saved yet; hold its button to save it`,
  },
  PODIUM_ERR_PTZ_UNSUPPORTED: {
    status: 409,
    message: (camera: string, command: string) =>
      `PTZ camera "${camera}" cannot ${command}; use only the buttons the console shows for this camera`,
  },
  PODIUM_ERR_PTZ_COMMAND_FAILED: {
    status: 502,
    message: (camera: string, command: string, detail: string) =>
      `PTZ camera "${camera}" did not carry out ${command} (${detail}); check its cable or network and try again`,
  },
  PODIUM_ERR_DISK_FULL: {
    status: 507,
    message: (directory: string, free: string) =>
      `only ${free} of the disk holding ${directory} is free; delete old recordings from the console or free space`,
  },
  PODIUM_ERR_RECORDING_RUNNING: {
    status: 409,
    message: (recordingId: string) => `a recording (${recordingId}) is running; stop it before starting another one`,
  },
  PODIUM_ERR_RECORDING_NOT_RUNNING: {
    status: 409,
    message: () => 'no recording is running; start one with POST /api/recording/start',
  },
  PODIUM_ERR_RECORDING_NOT_FOUND: {
    status: 404,
    message: (recordingId: string) => `recording "${recordingId}" not found; list recordings with GET /api/recordings`,
  },
  PODIUM_ERR_CAPTION_EMPTY: {
    status: 400,
    message: () => 'the caption has no text; send at least one letter',
  },
  PODIUM_ERR_SOURCE_KIND: {
    status: 400,
    message: (source: string, expected: string, received: string) =>
      `the source "${source}" is ${expected}, not ${received}; publish each track under the label of its kind`,
  },
  PODIUM_ERR_STAGE_OCCUPIED: {
    status: 409,
    message: (guest: string) =>
      `"${guest}" is invited or on stage already; one listener takes the floor at a time, so remove them from the stage first`,
  },
  PODIUM_ERR_STAGE_EMPTY: {
    status: 409,
    message: () => 'no listener is on stage; bring a raised hand on stage first',
  },
  PODIUM_ERR_NOT_INVITED: {
    status: 409,
    message: () => 'this page has no invitation to the stage; raise a hand and wait until staff invite you',
  },
  PODIUM_ERR_HAND_NOT_RAISED: {
    status: 404,
    message: (peerId: string) =>
      `no raised hand with the connection id "${peerId}"; the listener lowered it or left, so pick a hand from GET /api/hands`,
  },
  PODIUM_ERR_PRODUCER_NOT_FOUND: {
    status: 404,
    message: (source: string) => `this page publishes no source "${source}"; send "produce" first`,
  },
  PODIUM_ERR_LAYOUT_UNAVAILABLE: {
    status: 409,
    message: (layout: string, source: string) =>
      `the layout "${layout}" needs the source "${source}", which is not in the room; ` +
      'share the screen from the lectern or bring in the remote speaker first, or choose another layout',
  },
  PODIUM_ERR_PROGRAM_NOT_RUNNING: {
    status: 409,
    message: (state: string) => `the program is not running (event state: ${state}); start the event first`,
  },
  PODIUM_ERR_RESTREAM_NOT_FOUND: {
    status: 404,
    message: (targetId: string) => `restream target "${targetId}" not found; list an event's targets with GET /api/events/<id>/restreams`,
  },
  PODIUM_ERR_DEVICE_NOT_FOUND: {
    status: 404,
    message: (kind: string, id: string) =>
      `${kind} "${id}" is not among the discovered devices; connect it and refresh the device list, or choose a listed one`,
  },
  PODIUM_ERR_MEETING_NOT_FOUND: {
    status: 404,
    message: (meetingId: string) => `meeting "${meetingId}" not found; check the link, or ask its organiser for a new one`,
  },
  PODIUM_ERR_MEETING_ENDED: {
    status: 410,
    message: (meetingId: string, state: string) => `meeting "${meetingId}" is ${state}; ask its organiser for a new link`,
  },
  PODIUM_ERR_MEETING_LOCKED: {
    status: 423,
    message: (meetingId: string) => `meeting "${meetingId}" is locked; no new participant may join until a moderator unlocks it`,
  },
  PODIUM_ERR_MEETING_ACCESS_CODE: {
    status: 403,
    message: (meetingId: string) => `wrong or missing access code for meeting "${meetingId}"; enter the code from the invitation`,
  },
  PODIUM_ERR_MEETING_REMOVED: {
    status: 403,
    message: (meetingId: string) => `a moderator removed this participant from meeting "${meetingId}"; ask a moderator to let you in again`,
  },
  PODIUM_ERR_MEETING_NOT_MODERATOR: {
    status: 403,
    message: (action: string) => `only moderators may ${action}; join with the moderator link or as staff`,
  },
  PODIUM_ERR_MEETING_NOT_JOINED: {
    status: 409,
    message: (type: string, state: string) => `"${type}" needs a joined meeting, but this connection is ${state}; send "join" and wait for admission`,
  },
  PODIUM_ERR_MEETING_PEER_NOT_FOUND: {
    status: 404,
    message: (peerId: string) => `participant "${peerId}" is not in the meeting or its lobby; use the ids of the latest "meeting" snapshot`,
  },
  PODIUM_ERR_MEETING_TRACK_NOT_FOUND: {
    status: 404,
    message: (what: string, id: string) => `${what} "${id}" not found; use the ids of the latest "meeting" snapshot or of your own requests`,
  },
  PODIUM_ERR_MEETING_INVALID: {
    status: 400,
    message: (key: string, value: string, expected: string) => `meeting field "${key}" has value ${value}; expected ${expected}`,
  },
  PODIUM_ERR_MEETING_EMPTY: {
    status: 409,
    message: (meetingId: string) =>
      `meeting "${meetingId}" has no participants; stream or record it while people are in it`,
  },
  PODIUM_ERR_MEDIA: {
    status: 500,
    message: (detail: string) => `media server error: ${detail}`,
  },
  PODIUM_ERR_INTERNAL: {
    status: 500,
    message: () => 'internal error; the log has the details',
  },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

type MessageArgs<C extends ErrorCode> = Parameters<(typeof errorCatalog)[C]['message']>;

/** An error with a catalog code and its HTTP status. */
export class PodiumError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** For PODIUM_ERR_RATE_LIMITED: seconds until the caller may try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'PodiumError';
    this.code = code;
    this.statusCode = errorCatalog[code].status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Creates the catalog error for a code, with its message built from args. */
export function podiumError<C extends ErrorCode>(code: C, ...args: MessageArgs<C>): PodiumError {
  const build = errorCatalog[code].message as (...values: unknown[]) => string;
  const retryAfterSeconds = code === 'PODIUM_ERR_RATE_LIMITED' ? (args[1] as number) : undefined;

  return new PodiumError(code, build(...args), retryAfterSeconds);
}

/** The JSON body of an error, the same over HTTP and signaling. */
export type ErrorBody = { code: ErrorCode; message: string; retryAfterSeconds?: number };

/**
 * Maps any thrown value to its error body and HTTP status. This is the one
 * place where errors become statuses.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof PodiumError) {
    const body: ErrorBody = { code: error.code, message: error.message };

    if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = error.retryAfterSeconds;

    return { status: error.statusCode, body };
  }

  const internal = podiumError('PODIUM_ERR_INTERNAL');

  return { status: internal.statusCode, body: { code: internal.code, message: internal.message } };
}
