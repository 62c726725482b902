/**
 * The meeting signaling protocol, spoken on the WebSocket /meetings/signaling.
 * It has the envelope, validation, rate limits and error codes of the event
 * signaling (protocol.ts): a request { id, type, data } gets a response
 * { id, ok, data } or { id, ok: false, error }, and notifications have a type
 * and no id. Pages import only the types from this file.
 */
import { dtlsParametersSchema, type DtlsParameters, type ErrorInfo, type IceServer } from '../signaling/protocol.js';

/** Maximum length of a meeting's name. */
export const MAX_MEETING_NAME_LENGTH = 80;

/** Maximum length of one chat message. */
export const MAX_CHAT_LENGTH = 1000;

/** Chat messages a meeting keeps for participants who join later. */
export const CHAT_HISTORY = 200;

/** The sources a participant publishes: camera, microphone and a screen share. */
export const MEETING_SOURCES = ['camera', 'microphone', 'screen'] as const;

export type MeetingSource = (typeof MEETING_SOURCES)[number];

/** A meeting's state: open (people may join), ended by a moderator, or past its expiry. */
export type MeetingState = 'open' | 'ended' | 'expired';

/** A meeting as staff see it in the list. */
export type MeetingInfo = {
  id: string;
  name: string;
  /** The access code guests enter, or null for none. */
  accessCode: string | null;
  /** True when guests wait in the lobby until a moderator admits them. */
  lobby: boolean;
  /** When the meeting's link stops working (ISO 8601), or null for never. */
  expiresAt: string | null;
  createdAt: string;
  endedAt: string | null;
  state: MeetingState;
  /** True while moderators locked the meeting, so that no new participant joins. */
  locked: boolean;
  /** Participants in the meeting now (not those in the lobby). */
  participants: number;
  /** The link for guests (path and query, on this server). */
  link: string;
  /** The link that makes its holder a moderator. */
  moderatorLink: string;
  /** True while staff stream the meeting to HLS. */
  streaming: boolean;
  /** True while staff record the meeting. */
  recording: boolean;
  /** The broadcast's HLS playlist (path on this server) while it streams, else null. */
  hlsUrl: string | null;
};

/** A meeting as its join page shows it before joining. */
export type PublicMeetingInfo = {
  id: string;
  name: string;
  hasAccessCode: boolean;
  lobby: boolean;
  state: MeetingState;
  locked: boolean;
};

/** One published track of a participant. */
export type MeetingProducer = {
  producerId: string;
  source: MeetingSource;
  kind: 'audio' | 'video';
  /** True while the participant (or a moderator) muted it. */
  paused: boolean;
};

export type MeetingParticipant = {
  peerId: string;
  name: string;
  moderator: boolean;
  handRaised: boolean;
  /** When the participant joined (ISO 8601), the order of the grid. */
  joinedAt: string;
  producers: MeetingProducer[];
};

/** Someone waiting in the lobby, as moderators see them. */
export type MeetingLobbyGuest = { peerId: string; name: string; since: string };

/** This page's own place: in the meeting, in the lobby, or out of it and why. */
export type MeetingSelfState = 'joined' | 'waiting' | 'removed' | 'ended' | 'denied';

/** Everything a page shows about the meeting; sent after every change. */
export type MeetingSnapshot = {
  meeting: PublicMeetingInfo;
  self: { peerId: string; state: MeetingSelfState; moderator: boolean };
  /** Everyone in the meeting, this page included, in the order they joined; empty while waiting. */
  participants: MeetingParticipant[];
  /** The lobby, for moderators only (empty for others). */
  lobby: MeetingLobbyGuest[];
  /** The peer heard loudest now, or null in silence. */
  activeSpeaker: string | null;
  /** True while the meeting is recorded; every page, the lobby's too, shows a tally and a notice. */
  recording: boolean;
  /** True while the meeting is streamed to HLS, shown like the recording. */
  streaming: boolean;
};

export type ChatMessage = { id: number; peerId: string; name: string; text: string; at: string };

export type TransportOptions = {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  iceServers?: IceServer[];
};

export type MeetingConsumerOptions = {
  id: string;
  producerId: string;
  peerId: string;
  source: MeetingSource;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
};

/** Requests, by type, with the data each carries. */
export type MeetingRequestData = {
  /**
   * participantKey: a random key the tab keeps, so that a reload is the
   * same participant (and a removed one stays removed). moderatorKey: the
   * secret of the moderator link.
   */
  join: { meetingId: string; name: string; participantKey: string; accessCode?: string; moderatorKey?: string };
  createTransport: { direction: 'send' | 'recv' };
  connectTransport: { transportId: string; dtlsParameters: DtlsParameters };
  produce: { kind: 'audio' | 'video'; source: MeetingSource; rtpParameters: { codecs: unknown[]; encodings?: unknown[] } };
  closeProducer: { source: MeetingSource };
  /** Pauses (mutes) or resumes one of the page's own producers. */
  setMuted: { source: MeetingSource; muted: boolean };
  consume: { producerId: string; rtpCapabilities: { codecs?: unknown[]; headerExtensions?: unknown[] } };
  resumeConsumer: { consumerId: string };
  /** The highest simulcast layer the page wants of a video (0 low, 2 high): thumbnails ask for less. */
  setPreferredLayer: { consumerId: string; spatialLayer: number };
  chat: { text: string };
  setHand: { raised: boolean };
  leave: Record<string, never>;
  /** Mutes another participant's microphone (moderators only). That participant may unmute it again, and their page shows that a moderator muted it. */
  muteParticipant: { peerId: string };
  /** Moderators: send someone out of the meeting; that participant key cannot come back. */
  removeParticipant: { peerId: string };
  setLocked: { locked: boolean };
  admit: { peerId: string };
  deny: { peerId: string };
  endMeeting: Record<string, never>;
  /** Moderators: start or stop recording the meeting, as staff can; every page shows the tally. */
  setRecording: { on: boolean };
};

export type MeetingRequestType = keyof MeetingRequestData;

export type MeetingNotification =
  | { type: 'meeting'; data: MeetingSnapshot }
  | { type: 'chat'; data: ChatMessage }
  /** Sent after joining: the messages so far, oldest first. */
  | { type: 'chatHistory'; data: { messages: ChatMessage[] } }
  | { type: 'activeSpeaker'; data: { peerId: string | null } }
  /** A consumer of this page closed, because its producer closed. */
  | { type: 'consumerClosed'; data: { consumerId: string } }
  /** The simulcast layer a consumer receives now, which follows the page's bandwidth. */
  | { type: 'consumerLayers'; data: { consumerId: string; spatialLayer: number | null } }
  /** A moderator muted this page's microphone. */
  | { type: 'mutedByModerator'; data: { source: MeetingSource } }
  | { type: 'error'; error: ErrorInfo };

const emptyObject = { type: 'object', additionalProperties: false, properties: {} } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const source = { enum: MEETING_SOURCES } as const;
const sourceOnly = { type: 'object', additionalProperties: false, required: ['source'], properties: { source } } as const;
const peerOnly = { type: 'object', additionalProperties: false, required: ['peerId'], properties: { peerId: id } } as const;

/** JSON schemas of each request's data. */
export const meetingRequestSchemas: Record<MeetingRequestType, object> = {
  join: {
    type: 'object',
    additionalProperties: false,
    required: ['meetingId', 'name', 'participantKey'],
    properties: {
      meetingId: id,
      name: { type: 'string', minLength: 1, maxLength: 60, pattern: '\\S' },
      participantKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
      accessCode: { type: 'string', maxLength: 64 },
      moderatorKey: { type: 'string', maxLength: 128 },
    },
  },
  createTransport: {
    type: 'object',
    additionalProperties: false,
    required: ['direction'],
    properties: { direction: { enum: ['send', 'recv'] } },
  },
  connectTransport: {
    type: 'object',
    additionalProperties: false,
    required: ['transportId', 'dtlsParameters'],
    properties: {
      transportId: id,
      dtlsParameters: dtlsParametersSchema,
    },
  },
  produce: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'source', 'rtpParameters'],
    properties: {
      kind: { enum: ['audio', 'video'] },
      source,
      rtpParameters: {
        type: 'object',
        required: ['codecs'],
        properties: {
          codecs: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'object' } },
          encodings: { type: 'array', maxItems: 8, items: { type: 'object' } },
          headerExtensions: { type: 'array', maxItems: 16, items: { type: 'object' } },
        },
      },
    },
  },
  closeProducer: sourceOnly,
  setMuted: {
    type: 'object',
    additionalProperties: false,
    required: ['source', 'muted'],
    properties: { source, muted: { type: 'boolean' } },
  },
  consume: {
    type: 'object',
    additionalProperties: false,
    required: ['producerId', 'rtpCapabilities'],
    properties: {
      producerId: id,
      rtpCapabilities: {
        type: 'object',
        properties: {
          codecs: { type: 'array', maxItems: 64, items: { type: 'object' } },
          headerExtensions: { type: 'array', maxItems: 64, items: { type: 'object' } },
        },
      },
    },
  },
  resumeConsumer: { type: 'object', additionalProperties: false, required: ['consumerId'], properties: { consumerId: id } },
  setPreferredLayer: {
    type: 'object',
    additionalProperties: false,
    required: ['consumerId', 'spatialLayer'],
    properties: { consumerId: id, spatialLayer: { type: 'integer', minimum: 0, maximum: 2 } },
  },
  chat: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string', minLength: 1, maxLength: MAX_CHAT_LENGTH, pattern: '\\S' } },
  },
  setHand: { type: 'object', additionalProperties: false, required: ['raised'], properties: { raised: { type: 'boolean' } } },
  leave: emptyObject,
  muteParticipant: peerOnly,
  removeParticipant: peerOnly,
  setLocked: { type: 'object', additionalProperties: false, required: ['locked'], properties: { locked: { type: 'boolean' } } },
  admit: peerOnly,
  deny: peerOnly,
  endMeeting: emptyObject,
  setRecording: { type: 'object', additionalProperties: false, required: ['on'], properties: { on: { type: 'boolean' } } },
};
