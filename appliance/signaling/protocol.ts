/**
 * The signaling protocol between Podium and its pages: one WebSocket per
 * page at /signaling, JSON text messages. Both sides import this module, so
 * it imports nothing. The server validates every message against
 * requestSchemas before acting on it.
 *
 * Page → Podium: { id, type, data } requests; each gets one response
 * { id, ok: true, data } or { id, ok: false, error: { code, message } }.
 * Podium → page: notifications { type, data } with no id, and
 * { type: "error", error } for a message too broken to carry an id.
 */

export const MAX_MESSAGE_BYTES = 64 * 1024;

export type EventState = 'ready' | 'starting' | 'live' | 'stopping' | 'ended' | 'failed';
export type OutputState = 'starting' | 'live' | 'stopping' | 'stopped' | 'failed';
/** Pages by what they do: watch (listeners, speakers, interpreters), the staff console, and the venue screen (staff). */
export type PageKind = 'watch' | 'console' | 'stage';

/** The kind of failure of an event, which pages show in their language; failureReason adds the details in English. */
export const FAILURE_CODES = ['media-worker-stopped', 'start-failed', 'shut-down', 'interrupted'] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

/** The event fields that pages show. */
export type EventInfo = {
  id: string;
  title: string;
  description: string;
  startsAt: string;
  state: EventState;
  failureCode: FailureCode | null;
  failureReason: string | null;
  liveSince: string | null;
  endedAt: string | null;
  /** True when listeners must enter an access code to watch. */
  hasAccessCode: boolean;
  /** True when listeners wait in a lobby until staff admit them. */
  hasLobby: boolean;
};

/** An event as staff see it: with its access code and whether its texts are kept after it ends. */
export type StaffEventInfo = EventInfo & { accessCode: string | null; keepTexts: boolean };

/** A watch page's place in the event's lobby: waiting, admitted, or null for an event without one. */
export type LobbyState = 'waiting' | 'admitted' | null;

/** Roles that staff can invite to an event. */
export const INVITE_ROLES = ['speaker', 'interpreter', 'captioner'] as const;

export type InviteRole = (typeof INVITE_ROLES)[number];

/** An invite link's record. The link itself is only in the response that created it. */
export type InviteInfo = {
  id: string;
  role: InviteRole;
  eventId: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
};

/** Why a recording ended: staff stopped it, the event ended, the disk filled, a write failed, or Podium stopped. */
export type RecordingEndReason = 'requested' | 'event-ended' | 'disk-full' | 'write-failed' | 'interrupted';

/** One file of a recording. */
export type RecordingPart = {
  id: string;
  fileName: string;
  startedAt: string;
  endedAt: string | null;
  bytes: number;
  durationSeconds: number;
  endReason: RecordingEndReason | null;
  /** True when a WebVTT file of the live captions is beside the file (GET /api/recordings/<id>/captions). */
  hasCaptions?: boolean;
};

/**
 * A recording as staff see it in the list: one part, or several when Podium
 * restarted while it ran. The top-level fields sum up the parts: the first
 * part's id, file name and start, the last part's end and end reason, and
 * the total size and duration.
 */
export type RecordingInfo = RecordingPart & {
  /** The event recorded, or null for a meeting's recording. */
  eventId: string | null;
  /** The meeting recorded, or null for an event's recording. */
  meetingId: string | null;
  /** The files in recording order; each is downloaded on its own. */
  parts: RecordingPart[];
};

/** The recording of the running event, for the console's tally and alarms. */
export type RecordingStatus = {
  /** The running recording, or null. */
  current: RecordingInfo | null;
  /** Set while the disk with the recordings has less than 10% free. */
  diskLow: boolean;
  /** The reason the last recording stopped by itself ("disk-full", "write-failed"), kept until staff start a new one. */
  alarm: 'disk-full' | 'write-failed' | null;
};

/** A restream target as staff see it: the stream key only as its last four characters. */
export type RestreamTargetInfo = {
  id: string;
  eventId: string;
  name: string;
  /** The server address without the key, such as rtmps://a.rtmp.youtube.com/live2. */
  url: string;
  /** "…" and the key's last four characters, or "" for a target without a key. */
  keyHint: string;
};

/**
 * The state of one restream: connecting (also between attempts), live,
 * failed with the reason, or stopped. A retry after a failure is connecting
 * with that failure's reason until it is live.
 */
export type RestreamState = 'connecting' | 'live' | 'failed' | 'stopped';

export type RestreamStatus = { targetId: string; name: string; state: RestreamState; reason: string | null };

/** The state every page follows, sent on join and on each change. */
/**
 * The program's layouts, as staff pick them on the console. They show the
 * hall camera, the slides with the camera as picture in picture, the slides
 * alone, slides and camera side by side, or the remote speaker.
 */
export const PROGRAM_LAYOUTS = ['camera', 'slides-camera', 'slides', 'side-by-side', 'remote-speaker'] as const;

export type ProgramLayout = (typeof PROGRAM_LAYOUTS)[number];

/** The program's lower third: two lines over the picture, shown or hidden. */
export type LowerThird = { visible: boolean; title: string; name: string };

/**
 * Maximum length of a lower-third line, in characters. 40 characters of the
 * title's 32-pixel type take about 770 of the 848 pixels right of the
 * interpreter inset on a 720p picture (an estimate: DejaVu Sans Bold averages
 * about 19 pixels a character).
 * NOTE: a line of 40 wide letters (all "W") runs off the right edge.
 */
export const MAX_LOWER_THIRD_LENGTH = 40;

/** The program's state as the console shows it. */
export type ProgramStatus = {
  /** The layout staff chose. */
  layout: ProgramLayout;
  /** The layout on air: the chosen one, or the camera while the chosen one's source is missing. */
  onAir: ProgramLayout;
  /** Layouts whose source is present now. */
  available: ProgramLayout[];
  /** Whether an interpreter publishes, and so the inset is on air. */
  interpreter: boolean;
  lowerThird: LowerThird;
  /** Whether the live captions are burned into the picture. */
  captionsBurnedIn: boolean;
  renditions: { name: string; width: number; height: number }[];
};

export type EventSnapshot = {
  event: EventInfo | null;
  /** Each output's own state while the event runs, else null. */
  outputs: { room: OutputState; hls: OutputState } | null;
  /** Why the room is being rebuilt on a new media worker (in English), while it is; staff only. */
  roomRebuilding?: string;
  /** Staff only: why the program (HLS) output failed, while it is failed and restarts (in English). */
  hlsFailure?: string;
  /** The HLS playlist of the current event, once it has been started. */
  hlsUrl: string | null;
  /** Remote viewers: open watch pages. */
  viewers: number;
  /** Seconds a watch page tries WebRTC before it falls back to HLS. */
  hlsFallbackSeconds: number;
  /** False when the event has an access code this page has not entered; hlsUrl is null then. */
  accessGranted: boolean;
  /** This page's place in the event's lobby; hlsUrl is null while it waits. */
  lobby: LobbyState;
  /** The question staff put on the venue screen, or null; null too for pages without access. */
  stageQuestion: StageQuestion | null;
  /** Each restream target of the running event with its state; staff only, null for other pages. */
  restreams: RestreamStatus[] | null;
  /** The recording tally and alarms; staff only, null for other pages. */
  recording: RecordingStatus | null;
  /** The program's layout and lower third while the event runs; staff only, null for other pages. */
  program: ProgramStatus | null;
  /** Whether the venue camera and microphone deliver, while the event runs; else null. */
  venue: {
    camera: 'ok' | 'disconnected';
    microphone: 'ok' | 'disconnected';
    /** Set while the camera delivers more than 10% fewer frames per second than requested. */
    slowCamera: { requested: number; delivered: number } | null;
    /** The reason why the configured camera cannot be captured, with what to do; absent while there is none. */
    cameraProblem?: string;
    microphoneProblem?: string;
  } | null;
};

/** Parts of Podium that /healthz names when they fail. */
export type HealthPart =
  | 'sfu-worker'
  | 'event'
  | 'venue-camera'
  | 'venue-microphone'
  | 'room'
  | 'hls'
  | 'recording'
  | 'restream'
  | 'disk';

/** The status that /healthz, /metrics and the console's status screen (GET /api/status) show. */
export type SystemStatus = {
  ready: boolean;
  failing: HealthPart[];
  /** The current event's state, or null without one. */
  eventState: string | null;
  outputs: { room: OutputState; hls: OutputState } | null;
  viewers: { webrtc: number; hls: number; watchPages: number };
  /** Bits per second the room receives from the venue, and sends to WebRTC viewers. */
  bitrates: { venueCamera: number; venueMic: number; webrtcOut: number };
  /** RTP packets lost since each producer and consumer started (venue capture in, WebRTC viewers out). */
  packetsLost: { venueIn: number; webrtcOut: number };
  /** Restarts of supervised processes since Podium started, by process name (camera, microphone, ...). */
  processRestarts: Record<string, number>;
  /** The mediasoup workers: all alive, deaths since Podium started, and WebRTC viewers per worker in worker order. */
  worker: { alive: boolean; deaths: number; viewers: number[] };
  recording: { active: boolean; diskLow: boolean; alarm: string | null };
  restreams: { total: number; live: number; failed: number };
  disk: { path: string; freeBytes: number; totalBytes: number };
  load: { one: number; five: number; fifteen: number; cpus: number };
};

/** Microphone level in dBFS, from -120 (digital silence) to 0. */
export type MicLevel = { peakDb: number; rmsDb: number };

/** A camera on the console's setup screen: the built-in test picture or a V4L2 camera. */
export type SetupCamera = {
  /**
   * "test-pattern", else the camera's /dev/v4l/by-id link where it has one
   * (it survives a reboot), else its node.
   */
  id: string;
  kind: 'test-pattern' | 'v4l2';
  /** The device node, such as /dev/video0, or null for the test picture. */
  node: string | null;
  /** The driver's card type, such as "HD Pro Webcam C920". */
  name: string;
  /** The chosen mode, such as "MJPEG 1920x1080 at 30 fps", or null when the camera offers none. */
  mode: string | null;
  /** The format chooser's explanation, in English. */
  explanation: string;
  /** Every mode the camera lists, one line per format and size, such as "MJPG 1920x1080: 30, 24 fps". */
  modes: string[];
  /** True while the running capture uses the camera, so no preview opens it. */
  inUse: boolean;
};

/** A microphone on the setup screen: the built-in test tone or an ALSA capture device. */
export type SetupMicrophone = {
  /** "test-tone", or CARD=<card id>,DEV=<device>. */
  id: string;
  kind: 'test-tone' | 'alsa';
  name: string;
  /** The ALSA card id, which stays the same across boots, or null for the test tone. */
  cardId: string | null;
  /** The ALSA device the capture opens, such as plughw:CARD=Mic,DEV=0, or null for the test tone. */
  path: string | null;
  plugin: 'hw' | 'plughw' | null;
  explanation: string;
  inUse: boolean;
};

/** The camera and microphone that events use: ids of SetupCamera and SetupMicrophone. */
export type DeviceSelection = { camera: string; microphone: string };

/** Everything the setup screen lists. */
export type DeviceSetupInfo = {
  cameras: SetupCamera[];
  microphones: SetupMicrophone[];
  selection: DeviceSelection;
  /** Devices that could not be listed and commands that failed, in English. */
  problems: string[];
  /** When the devices were last discovered (ISO 8601), or null before the first discovery. */
  discoveredAt: string | null;
};

/** The state of a camera preview or microphone meter. "in-use": the capture uses the device. */
export type PreviewState = 'starting' | 'running' | 'in-use' | 'failed' | 'unavailable';

/** The live state of the setup screen's previews and meters. */
export type DevicePreviews = {
  cameras: { id: string; state: PreviewState; pictureAt: number | null; failure: string | null }[];
  microphones: { id: string; state: PreviewState; level: MicLevel | null; failure: string | null }[];
};

export type ErrorInfo = { code: string; message: string };

/**
 * A TURN server with credentials that expire, as RTCIceServer takes it. The
 * transport options of createRecvTransport and createSendTransport carry
 * them as iceServers when Podium has TURN servers configured.
 */
export type IceServer = { urls: string[]; username: string; credential: string };

export type DtlsParameters = { role?: string; fingerprints: { algorithm: string; value: string }[] };

/** Maximum length of a listener's display name. */
export const MAX_NAME_LENGTH = 60;

/** Maximum length of a listener's question. */
export const MAX_QUESTION_LENGTH = 500;

/** Maximum length of one caption; a longer line is split into several. */
export const MAX_CAPTION_LENGTH = 200;

/** A line of live captions, pinned to the moment it arrived. */
export type Caption = {
  id: number;
  eventId: string;
  text: string;
  /** When it arrived (ISO 8601). */
  at: string;
  /** When watch pages, the HLS track and the recording show it from (ISO 8601): at arrival, or later while earlier lines are read. */
  showAt: string;
  /** Milliseconds of the live event when it arrived (from liveSince). */
  streamTimeMs: number;
};

/** A question's state: waiting, answered by the speaker, or hidden by staff (abuse). */
export type QuestionState = 'open' | 'answered' | 'hidden';

/** A question from the audience, as staff see it on the console. */
export type QuestionInfo = {
  id: number;
  eventId: string;
  /** The asker's display name, or null when they gave none. */
  author: string | null;
  text: string;
  createdAt: string;
  state: QuestionState;
  /** Listeners who upvoted it. */
  votes: number;
  /**
   * Milliseconds of the live event when it was asked (from liveSince), so
   * that a page seconds behind live shows it when its playback reaches it.
   */
  streamTimeMs: number;
  /** True while staff show it on the venue screen. */
  onStage: boolean;
};

/** A question as shown to a listener, who gets no hidden questions but their own. */
export type PublicQuestion = Omit<QuestionInfo, 'eventId'> & {
  /** Asked by this page's listener. */
  own: boolean;
  /** This page's listener upvoted it. */
  voted: boolean;
};

/** The question on the venue screen. */
export type StageQuestion = { id: number; author: string | null; text: string };

/** A listener with a raised hand, for the console. */
export type RaisedHand = { peerId: string; name: string | null; raisedAt: string };

/** A listener's place on the floor: invited (waits for their consent) or on stage. */
export type FloorState = 'invited' | 'on-stage';

/** The listener whom staff invited on stage, or who is on stage, for the console. */
export type FloorGuest = {
  peerId: string;
  name: string | null;
  state: FloorState;
  /** True while staff muted the guest's microphone. */
  muted: boolean;
  /** When the guest was invited or came on stage (ISO 8601). */
  since: string;
};

/** A listener's own place on the floor, for their watch page; state null when they have none. */
export type StageInvitation = { state: FloorState | null; muted: boolean };

/** A listener waiting in the lobby, for the console. */
export type LobbyGuest = { peerId: string; name: string | null; since: string };

/** Requests, by type, with the data each carries. */
export type RequestData = {
  /**
   * listenerKey: a random key the page keeps for its tab, so that votes and
   * own questions survive a reconnect; the connection's id when absent.
   */
  join: { page: PageKind; name?: string; listenerKey?: string };
  getRouterRtpCapabilities: Record<string, never>;
  createRecvTransport: Record<string, never>;
  connectTransport: { dtlsParameters: DtlsParameters };
  /** sources: the producers to consume; all that a viewer receives when absent. */
  consume: { rtpCapabilities: { codecs?: unknown[]; headerExtensions?: unknown[] }; sources?: string[] };
  resumeConsumer: { consumerId: string };
  createSendTransport: Record<string, never>;
  connectSendTransport: { dtlsParameters: DtlsParameters };
  produce: { kind: 'audio' | 'video'; rtpParameters: { codecs: unknown[]; encodings?: unknown[] }; source: string };
  /** Ends this page's producer of a source, such as a screen share the speaker stopped. */
  stopProducing: { source: string };
  askQuestion: { text: string };
  /** One vote per listener and question; voting again changes nothing. */
  voteQuestion: { questionId: number };
  setHand: { raised: boolean };
  /** A listener's consent to come on stage (or refusal), after staff invited them. */
  answerStageInvite: { accept: boolean };
  /** A listener on stage (or invited) steps down. */
  leaveStage: Record<string, never>;
  /** A captioner's (or staff's) line of live captions for the running event. */
  sendCaption: { text: string };
  /** Ends this page's consumers of a source, such as the program sound while its listener is on stage. */
  stopConsuming: { source: string };
};

export type RequestType = keyof RequestData;

export type Request<T extends RequestType = RequestType> = { id: number; type: T; data: RequestData[T] };

export type Response =
  | { id: number; ok: true; data: unknown }
  | { id: number; ok: false; error: ErrorInfo };

export type Notification =
  | { type: 'eventState'; data: EventSnapshot }
  | { type: 'micLevel'; data: MicLevel }
  | { type: 'consumersClosed'; data: Record<string, never> }
  /** To consoles: a new question, and every change of one (state, votes, venue screen). */
  | { type: 'questionAdded'; data: QuestionInfo }
  | { type: 'questionUpdated'; data: QuestionInfo }
  /** To watch pages with access: the event's questions as this page may see them, oldest first. */
  | { type: 'questions'; data: { questions: PublicQuestion[] } }
  /** To a watch page: its hand went up or down (staff lower hands too). */
  | { type: 'hand'; data: { raised: boolean } }
  /** To consoles: the raised hands, longest waiting first. */
  | { type: 'hands'; data: { hands: RaisedHand[] } }
  /** To consoles: the listeners waiting in the lobby, longest waiting first. */
  | { type: 'lobby'; data: { guests: LobbyGuest[] } }
  /** To a watch page staff admitted: a ticket for POST /api/events/<id>/admission, which sets the session cookie HLS needs. */
  | { type: 'admitted'; data: { ticket: string } }
  /** To watch pages with access and consoles: a new line of live captions. */
  | { type: 'caption'; data: Caption }
  /** To consoles and venue screens: the listener invited or on stage, or null. */
  | { type: 'floor'; data: { guest: FloorGuest | null } }
  /** To a watch page: its listener's invitation and place on stage. */
  | { type: 'stage'; data: StageInvitation }
  /** A source got a new producer (a restarted capture); consume it again to keep receiving. */
  | { type: 'producerReplaced'; data: { source: string } }
  | { type: 'error'; error: ErrorInfo };

const emptyObject = { type: 'object', additionalProperties: false, properties: {} } as const;

/** The JSON schema of a browser's DTLS parameters, shared by the event and the meeting signaling. */
export const dtlsParametersSchema = {
  type: 'object',
  required: ['fingerprints'],
  properties: {
    role: { enum: ['auto', 'client', 'server'] },
    fingerprints: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      items: {
        type: 'object',
        required: ['algorithm', 'value'],
        properties: {
          algorithm: { enum: ['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'] },
          value: { type: 'string', maxLength: 256 },
        },
      },
    },
  },
} as const;

const withDtlsParameters = {
  type: 'object',
  additionalProperties: false,
  required: ['dtlsParameters'],
  properties: { dtlsParameters: dtlsParametersSchema },
} as const;

/** JSON schemas of each request's data (draft 2020-12 subset that ajv checks). */
export const requestSchemas: Record<RequestType, object> = {
  join: {
    type: 'object',
    additionalProperties: false,
    required: ['page'],
    properties: {
      page: { enum: ['watch', 'console', 'stage'] },
      name: { type: 'string', maxLength: MAX_NAME_LENGTH },
      listenerKey: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
    },
  },
  getRouterRtpCapabilities: emptyObject,
  createRecvTransport: emptyObject,
  connectTransport: withDtlsParameters,
  consume: {
    type: 'object',
    additionalProperties: false,
    required: ['rtpCapabilities'],
    properties: {
      sources: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
      rtpCapabilities: {
        type: 'object',
        properties: {
          codecs: { type: 'array', maxItems: 64, items: { type: 'object' } },
          headerExtensions: { type: 'array', maxItems: 64, items: { type: 'object' } },
        },
      },
    },
  },
  resumeConsumer: {
    type: 'object',
    additionalProperties: false,
    required: ['consumerId'],
    properties: { consumerId: { type: 'string', minLength: 1, maxLength: 64 } },
  },
  createSendTransport: emptyObject,
  connectSendTransport: withDtlsParameters,
  stopProducing: {
    type: 'object',
    additionalProperties: false,
    required: ['source'],
    properties: { source: { type: 'string', minLength: 1, maxLength: 32 } },
  },
  askQuestion: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string', minLength: 1, maxLength: MAX_QUESTION_LENGTH, pattern: '\\S' } },
  },
  voteQuestion: {
    type: 'object',
    additionalProperties: false,
    required: ['questionId'],
    properties: { questionId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  },
  setHand: {
    type: 'object',
    additionalProperties: false,
    required: ['raised'],
    properties: { raised: { type: 'boolean' } },
  },
  answerStageInvite: {
    type: 'object',
    additionalProperties: false,
    required: ['accept'],
    properties: { accept: { type: 'boolean' } },
  },
  leaveStage: emptyObject,
  sendCaption: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' } },
  },
  stopConsuming: {
    type: 'object',
    additionalProperties: false,
    required: ['source'],
    properties: { source: { type: 'string', minLength: 1, maxLength: 32 } },
  },
  produce: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'rtpParameters', 'source'],
    properties: {
      kind: { enum: ['audio', 'video'] },
      source: { type: 'string', maxLength: 32 },
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
};

/** The envelope every request must have. */
export const envelopeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type'],
  properties: {
    id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    type: { type: 'string', maxLength: 64 },
    data: { type: 'object' },
  },
} as const;
