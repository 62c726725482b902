import {
  INVITE_ROLES,
  type DevicePreviews,
  type DeviceSelection,
  type DeviceSetupInfo,
  type EventSnapshot,
  type FloorGuest,
  type InviteInfo as Invite,
  type InviteRole,
  type LobbyGuest,
  type LowerThird,
  type ProgramLayout,
  type ProgramStatus,
  type QuestionInfo,
  type RecordingInfo,
  type RestreamTargetInfo,
  type StaffEventInfo,
  type SystemStatus,
} from '../appliance/signaling/protocol.js';
import type { MeetingInfo, PublicMeetingInfo } from '../appliance/meetings/meeting-protocol.js';

export { INVITE_ROLES };
export type { Invite, InviteRole, RecordingInfo, StaffEventInfo, SystemStatus };

export type CreatedInvite = Invite & { url: string };

export type SystemInfo = {
  tls: { fingerprint256: string; selfSigned: boolean; validTo: string } | null;
  httpsOrigin: string;
  /** The staff password Podium generated on its first start, or null. Only one response after the start carries it. */
  initialStaffPassword: string | null;
  /** Whether new events keep questions, names and chat by default (privacy.keepQuestions). */
  keepTextsDefault: boolean;
};

/** A new meeting as staff create it: no access code, no lobby and no expiry unless given. */
export type NewMeeting = {
  name: string;
  accessCode?: string | null;
  lobby?: boolean;
  /** ISO 8601, or null for never. */
  expiresAt?: string | null;
};

export type NewEvent = {
  title: string;
  description: string;
  startsAt: string;
  accessCode?: string;
  keepTexts?: boolean;
  lobby?: boolean;
};

/** A failed API call, with the server's error code (or NETWORK when no response came) and HTTP status. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Seconds until a rate-limited caller may try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, status: number, retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Calls Podium's HTTP API. A failed call throws an ApiError with the server's code and message. */
async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;

  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError('NETWORK', (error as Error).message, 0);
  }

  const payload = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    retryAfterSeconds?: number;
  };

  if (!response.ok) {
    throw new ApiError(
      payload.code ?? 'HTTP_ERROR',
      payload.message ?? `${method} ${path} failed with HTTP ${response.status}`,
      response.status,
      payload.retryAfterSeconds,
    );
  }

  return payload as T;
}

export { errorText } from './error-text.js';

const id = (value: string) => encodeURIComponent(value);

export const api = {
  login: (password: string) => call<{ role: 'staff' }>('POST', '/api/login', { password }),
  ptzStatus: () =>
    call<{
      camera: string;
      connected: boolean;
      available: boolean;
      profileName: string | null;
      capabilities: { commands: string[] } | null;
    }>('GET', '/api/ptz'),
  ptzMove: (pan: -1 | 0 | 1, tilt: -1 | 0 | 1) => call<{ ok: true }>('POST', '/api/ptz/move', { pan, tilt }),
  ptzStop: () => call<{ ok: true }>('POST', '/api/ptz/stop'),
  ptzZoom: (direction: -1 | 0 | 1) => call<{ ok: true }>('POST', '/api/ptz/zoom', { direction }),
  ptzHome: () => call<{ ok: true }>('POST', '/api/ptz/home'),
  ptzPresets: () =>
    call<{ presets: { slot: number; name: string; saved: boolean }[] }>('GET', '/api/ptz/presets').then((body) => body.presets),
  ptzSavePreset: (slot: number) => call<{ slot: number; name: string; saved: boolean }>('POST', `/api/ptz/presets/${slot}/save`),
  ptzRecallPreset: (slot: number) => call<{ ok: true }>('POST', `/api/ptz/presets/${slot}/recall`),
  devices: () => call<DeviceSetupInfo>('GET', '/api/devices'),
  refreshDevices: () => call<DeviceSetupInfo>('POST', '/api/devices/refresh'),
  devicePreviews: () => call<DevicePreviews>('GET', '/api/devices/previews'),
  selectDevices: (selection: DeviceSelection) =>
    call<{ selection: DeviceSelection }>('POST', '/api/devices/selection', selection).then((body) => body.selection),
  logout: () => call<{ role: string }>('POST', '/api/logout'),
  me: () => call<{ role: string; eventId: string | null }>('GET', '/api/me'),
  system: () => call<SystemInfo>('GET', '/api/system'),
  systemStatus: () => call<SystemStatus>('GET', '/api/status'),
  listQuestions: (eventId: string) =>
    call<{ questions: QuestionInfo[] }>('GET', `/api/events/${encodeURIComponent(eventId)}/questions`).then(
      (body) => body.questions,
    ),
  listEvents: () => call<{ events: StaffEventInfo[] }>('GET', '/api/events').then((body) => body.events),
  createEvent: (event: NewEvent) => call<StaffEventInfo>('POST', '/api/events', event),
  selectEvent: (eventId: string) => call<EventSnapshot>('POST', `/api/events/${id(eventId)}/select`),
  startEvent: (eventId: string) => call<EventSnapshot>('POST', `/api/events/${id(eventId)}/start`),
  stopEvent: (eventId: string) => call<EventSnapshot>('POST', `/api/events/${id(eventId)}/stop`),
  listInvites: (eventId: string) =>
    call<{ invites: Invite[] }>('GET', `/api/events/${id(eventId)}/invites`).then((body) => body.invites),
  createInvite: (eventId: string, invite: { role: InviteRole; label: string; validHours: number }) =>
    call<CreatedInvite>('POST', `/api/events/${id(eventId)}/invites`, invite),
  listRecordings: () => call<{ recordings: RecordingInfo[] }>('GET', '/api/recordings').then((body) => body.recordings),
  startRecording: () => call<RecordingInfo>('POST', '/api/recording/start'),
  stopRecording: () => call<RecordingInfo>('POST', '/api/recording/stop'),
  deleteRecording: (recordingId: string) => call<{ ok: true }>('POST', `/api/recordings/${id(recordingId)}/delete`),
  /** The download address of a recording file, for a link. */
  recordingFileUrl: (recordingId: string) => `/api/recordings/${id(recordingId)}/file`,
  recordingCaptionsUrl: (recordingId: string) => `/api/recordings/${id(recordingId)}/captions`,
  listRestreams: (eventId: string) =>
    call<{ targets: RestreamTargetInfo[] }>('GET', `/api/events/${id(eventId)}/restreams`).then((body) => body.targets),
  addRestream: (eventId: string, target: { name: string; url: string; streamKey: string }) =>
    call<RestreamTargetInfo>('POST', `/api/events/${id(eventId)}/restreams`, target),
  removeRestream: (targetId: string) => call<{ ok: true }>('POST', `/api/restreams/${id(targetId)}/delete`),
  setProgramLayout: (layout: ProgramLayout) =>
    call<{ program: ProgramStatus }>('POST', '/api/program/layout', { layout }).then((body) => body.program),
  setCaptionsBurnedIn: (burnedIn: boolean) =>
    call<{ program: ProgramStatus }>('POST', '/api/program/captions', { burnedIn }).then((body) => body.program),
  setLowerThird: (lowerThird: LowerThird) =>
    call<{ program: ProgramStatus }>('POST', '/api/program/lower-third', lowerThird).then((body) => body.program),
  revokeInvite: (inviteId: string) => call<Invite>('POST', `/api/invites/${id(inviteId)}/revoke`),
  setQuestionState: (questionId: number, state: QuestionInfo['state']) =>
    call<QuestionInfo>('POST', `/api/questions/${questionId}/state`, { state }),
  putOnStage: (eventId: string, questionId: number | null) =>
    call<{ question: QuestionInfo | null }>('POST', `/api/events/${id(eventId)}/stage-question`, { questionId }),
  lowerHand: (peerId: string) => call<{ lowered: boolean }>('POST', `/api/hands/${id(peerId)}/lower`),
  inviteOnStage: (peerId: string) => call<{ guest: FloorGuest }>('POST', '/api/stage/invite', { peerId }),
  muteStageGuest: (muted: boolean) => call<{ guest: FloorGuest }>('POST', '/api/stage/mute', { muted }),
  removeStageGuest: () => call<{ removed: boolean }>('POST', '/api/stage/remove'),
  lobby: (eventId: string) =>
    call<{ enabled: boolean; guests: LobbyGuest[] }>('GET', `/api/events/${id(eventId)}/lobby`),
  setLobby: (eventId: string, enabled: boolean) => call<StaffEventInfo>('POST', `/api/events/${id(eventId)}/lobby`, { enabled }),
  admitGuest: (eventId: string, peerId: string) =>
    call<{ admitted: number }>('POST', `/api/events/${id(eventId)}/lobby/admit`, { peerId }),
  admitAll: (eventId: string) => call<{ admitted: number }>('POST', `/api/events/${id(eventId)}/lobby/admit-all`),
  /** Exchanges the ticket of a lobby admission for the session cookie that the HLS stream needs. */
  redeemAdmission: (eventId: string, ticket: string) =>
    call<{ admitted: true }>('POST', `/api/events/${id(eventId)}/admission`, { ticket }),
  listMeetings: () => call<MeetingInfo[]>('GET', '/api/meetings'),
  createMeeting: (meeting: NewMeeting) => call<MeetingInfo>('POST', '/api/meetings', meeting),
  endMeeting: (meetingId: string) => call<MeetingInfo>('POST', `/api/meetings/${id(meetingId)}/end`),
  deleteMeeting: (meetingId: string) => call<Record<string, never>>('DELETE', `/api/meetings/${id(meetingId)}`),
  streamMeeting: (meetingId: string, hls: boolean) => call<MeetingInfo>('POST', `/api/meetings/${id(meetingId)}/broadcast`, { hls }),
  recordMeeting: (meetingId: string, recording: boolean) => call<MeetingInfo>('POST', `/api/meetings/${id(meetingId)}/recording`, { recording }),
  publicMeeting: (meetingId: string) => call<PublicMeetingInfo>('GET', `/api/meetings/${id(meetingId)}/public`),
  /** Sends a listener's access code. On success the response sets a session cookie for that event. */
  enterAccessCode: (eventId: string, code: string) =>
    call<{ accessGranted: true }>('POST', `/api/events/${id(eventId)}/access`, { code }),
};
