import type { MessageKey } from './i18n/de.js';
import { t } from './i18n/i18n.js';

/**
 * Translated texts for the server's error codes that a page can meet. The
 * server's own messages are English and written for the log, so pages show
 * these instead. Internal and media server errors and the codes of malformed
 * protocol messages, which Podium's own pages do not send, get the general
 * text with the code.
 */
const CODE_TEXTS: Partial<Record<string, MessageKey>> = {
  NETWORK: 'error.network',
  PODIUM_ERR_LOGIN_FAILED: 'error.loginFailed',
  PODIUM_ERR_ACCESS_CODE_WRONG: 'error.accessCodeWrong',
  PODIUM_ERR_ACCESS_CODE_REQUIRED: 'error.accessCodeRequired',
  PODIUM_ERR_DISK_FULL: 'error.diskFull',
  // The server's message names the camera and the cause for the log; the console says what to do.
  PODIUM_ERR_PTZ_UNSUPPORTED: 'error.ptzUnsupported',
  PODIUM_ERR_PTZ_COMMAND_FAILED: 'error.ptzFailed',
  PODIUM_ERR_PTZ_UNAVAILABLE: 'error.ptzUnavailable',
  PODIUM_ERR_PTZ_PRESET_EMPTY: 'error.ptzPresetEmpty',
  // The source left between the snapshot and the tap, and the next snapshot disables the layout.
  PODIUM_ERR_LAYOUT_UNAVAILABLE: 'error.layoutUnavailable',
  PODIUM_ERR_EVENT_NOT_FOUND: 'error.eventNotFound',
  PODIUM_ERR_EVENT_NOT_STARTABLE: 'error.eventNotStartable',
  PODIUM_ERR_OTHER_EVENT_RUNNING: 'error.otherEventRunning',
  PODIUM_ERR_EVENT_NOT_RUNNING: 'error.eventNotRunning',
  PODIUM_ERR_NOT_LIVE: 'error.notLive',
  PODIUM_ERR_PROGRAM_NOT_RUNNING: 'error.programNotRunning',
  PODIUM_ERR_INVALID_REQUEST: 'error.invalidRequest',
  PODIUM_ERR_UNAUTHORIZED: 'error.unauthorized',
  PODIUM_ERR_FORBIDDEN: 'error.forbidden',
  PODIUM_ERR_INVITE_INVALID: 'error.inviteInvalid',
  PODIUM_ERR_INVITE_NOT_FOUND: 'error.inviteNotFound',
  PODIUM_ERR_QUESTION_NOT_FOUND: 'error.questionNotFound',
  PODIUM_ERR_LOBBY_WAITING: 'error.lobbyWaiting',
  PODIUM_ERR_LOBBY_GUEST_NOT_FOUND: 'error.lobbyGuestNotFound',
  PODIUM_ERR_ADMISSION_INVALID: 'error.admissionInvalid',
  PODIUM_ERR_RECORDING_RUNNING: 'error.recordingRunning',
  PODIUM_ERR_RECORDING_NOT_RUNNING: 'error.recordingNotRunning',
  PODIUM_ERR_RECORDING_NOT_FOUND: 'error.recordingNotFound',
  PODIUM_ERR_CAPTION_EMPTY: 'error.captionEmpty',
  PODIUM_ERR_STAGE_OCCUPIED: 'error.stageOccupied',
  PODIUM_ERR_STAGE_EMPTY: 'error.stageEmpty',
  PODIUM_ERR_NOT_INVITED: 'error.notInvited',
  PODIUM_ERR_HAND_NOT_RAISED: 'error.handNotRaised',
  PODIUM_ERR_RESTREAM_NOT_FOUND: 'error.restreamNotFound',
  PODIUM_ERR_DEVICE_NOT_FOUND: 'error.deviceNotFound',
  PODIUM_ERR_MEETING_NOT_FOUND: 'error.meetingNotFound',
  PODIUM_ERR_MEETING_ENDED: 'error.meetingEnded',
  PODIUM_ERR_MEETING_LOCKED: 'error.meetingLocked',
  PODIUM_ERR_MEETING_ACCESS_CODE: 'error.meetingAccessCode',
  PODIUM_ERR_MEETING_REMOVED: 'error.meetingRemoved',
  PODIUM_ERR_MEETING_NOT_MODERATOR: 'error.meetingNotModerator',
  PODIUM_ERR_MEETING_NOT_JOINED: 'error.meetingNotJoined',
  PODIUM_ERR_MEETING_PEER_NOT_FOUND: 'error.meetingPeerNotFound',
  PODIUM_ERR_MEETING_TRACK_NOT_FOUND: 'error.meetingTrackNotFound',
  PODIUM_ERR_MEETING_INVALID: 'error.meetingInvalid',
  PODIUM_ERR_MEETING_EMPTY: 'error.meetingEmpty',
};

/** Translated texts for the browser's media errors (DOMException names from getUserMedia and getDisplayMedia). */
const DOM_TEXTS: Partial<Record<string, MessageKey>> = {
  NotAllowedError: 'error.mediaNotAllowed',
  NotFoundError: 'error.mediaNotFound',
  NotReadableError: 'error.mediaNotReadable',
  OverconstrainedError: 'error.mediaNotFound',
};

/**
 * Returns the text to show for a failed action in the page language: the
 * translation of a known error code (API or signaling) or browser media
 * error, else a general text with the code for the log.
 */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;

  if (code === 'PODIUM_ERR_RATE_LIMITED') {
    const seconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;

    if (!seconds) return t('error.rateLimitedLater');
    if (seconds < 120) return t('error.rateLimited', { seconds });

    return t('error.rateLimitedMinutes', { minutes: Math.ceil(seconds / 60) });
  }
  if (typeof code === 'string') {
    const key = CODE_TEXTS[code];

    return key ? t(key) : t('error.other', { code });
  }

  const name = error instanceof Error ? error.name : '';
  const key = DOM_TEXTS[name];

  if (key) return t(key);

  return error instanceof Error ? error.message : String(error);
}
