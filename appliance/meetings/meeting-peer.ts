import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import type { WebSocket } from 'ws';
import { RateLimiter } from '../auth/rate-limiter.js';
import type { Principal } from '../auth/roles.js';
import { podiumError, toErrorBody } from '../errors.js';
import type { Logger } from '../log.js';
import type { MeetingPeerMedia } from '../sfu/meeting-peer-media.js';
import type { IceServer } from '../signaling/protocol.js';
import { CLOSE_POLICY_VIOLATION, MAX_BUFFERED_BYTES, MAX_REJECTED_MESSAGES, MESSAGES_PER_SECOND } from '../signaling/connection-limits.js';
import { createRequestParser, type ParsedRequest } from '../signaling/validate.js';
import {
  meetingRequestSchemas,
  type MeetingNotification,
  type MeetingRequestData,
  type MeetingRequestType,
} from './meeting-protocol.js';
import type { MeetingService } from './meeting-service.js';
import type { MeetingConnection, MeetingSession } from './meeting-session.js';

/** Chat messages one connection may send per 10 s. */
const CHAT_PER_10_SECONDS = 10;

const parseMeetingRequest = createRequestParser<MeetingRequestType>(meetingRequestSchemas);

/**
 * One meeting page's signaling connection: validated, rate-limited requests
 * for one participant, who joins one meeting and then publishes, receives,
 * chats and (as a moderator) moderates in it.
 */
export class MeetingPeer implements MeetingConnection {
  readonly peerId = randomUUID();
  readonly #socket: WebSocket;
  readonly #principal: Principal;
  readonly #meetings: MeetingService;
  readonly #iceServers: () => IceServer[];
  readonly #logger: Logger;
  readonly #rate = new RateLimiter(MESSAGES_PER_SECOND, 1000);
  readonly #chatRate = new RateLimiter(CHAT_PER_10_SECONDS, 10_000);
  #rejected = 0;
  readonly #address: string | undefined;
  #joined: MeetingSession | undefined;
  #closed = false;

  constructor(socket: WebSocket, principal: Principal, meetings: MeetingService, iceServers: () => IceServer[], logger: Logger, address?: string) {
    this.#socket = socket;
    this.#address = address;
    this.#principal = principal;
    this.#meetings = meetings;
    this.#iceServers = iceServers;
    this.#logger = logger.child({ peerId: this.peerId, role: principal.role === 'staff' ? 'staff' : 'participant' });
    socket.on('message', (raw, isBinary) => void this.#onMessage(isBinary ? '\u0000binary' : raw.toString()));
    socket.on('close', () => this.#onClosed());
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'socket error'));
    this.#logger.info('meeting peer connected');
  }

  notify(message: MeetingNotification): void {
    this.#send(message);
  }

  close(code: number, reason: string): void {
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) this.#socket.close(code, reason);
    this.#onClosed();
  }

  #onClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#joined?.leave(this.peerId);
    this.#logger.info({ meetingId: this.#joined?.id }, 'meeting peer disconnected');
  }

  async #onMessage(raw: string): Promise<void> {
    if (this.#closed) return;

    const parsed = parseMeetingRequest(raw);
    const id = parsed.ok ? parsed.request.id : parsed.id;

    if (this.#rate.retryAfterMs(this.peerId) > 0) {
      this.#reject(id, podiumError('PODIUM_ERR_RATE_LIMITED', 'meeting signaling messages', 1));

      return;
    }
    this.#rate.record(this.peerId);
    if (!parsed.ok) {
      this.#reject(id, parsed.error);

      return;
    }
    try {
      const data = await this.#handle(parsed.request);

      this.#send({ id: parsed.request.id, ok: true, data });
    } catch (error) {
      const { status, body } = toErrorBody(error);
      const fields = { type: parsed.request.type, code: body.code, meetingId: this.#joined?.id };

      if (status >= 500) this.#logger.error({ ...fields, err: error }, 'meeting request failed');
      else this.#logger.warn({ ...fields, detail: body.message }, 'meeting request rejected');
      this.#send({ id: parsed.request.id, ok: false, error: body });
    }
  }

  #reject(id: number | undefined, error: ReturnType<typeof podiumError>): void {
    const body = { code: error.code, message: error.message };

    this.#rejected++;
    if (this.#rejected === 1 || this.#rejected % 50 === 0) {
      this.#logger.warn({ code: error.code, detail: error.message, rejected: this.#rejected }, 'rejected meeting message');
    }
    if (this.#rejected > MAX_REJECTED_MESSAGES) {
      this.#logger.warn({ rejected: this.#rejected }, 'meeting peer floods with bad messages, closing it');
      this.close(CLOSE_POLICY_VIOLATION, 'too many invalid or rate-limited messages');

      return;
    }
    this.#send(id === undefined ? { type: 'error', error: body } : { id, ok: false, error: body });
  }

  #send(message: object): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#logger.warn({ buffered: this.#socket.bufferedAmount }, 'meeting peer stopped reading, closing it');
      this.#socket.terminate();

      return;
    }
    this.#socket.send(JSON.stringify(message));
  }

  async #handle(request: ParsedRequest<MeetingRequestType>): Promise<unknown> {
    if (request.type === 'join') return this.#join(request.data as MeetingRequestData['join']);

    const session = this.#requireJoined(request.type);
    const data = request.data as MeetingRequestData[typeof request.type];

    switch (request.type) {
      case 'createTransport': {
        const { direction } = data as MeetingRequestData['createTransport'];
        const options = await (await session.media(this.peerId)).createTransport(direction);
        const iceServers = this.#iceServers();

        return iceServers.length > 0 ? { ...options, iceServers } : options;
      }
      case 'connectTransport': {
        const { transportId, dtlsParameters } = data as MeetingRequestData['connectTransport'];

        if (!(await (await session.media(this.peerId)).connectTransport(transportId, dtlsParameters as types.DtlsParameters))) {
          throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'transport', transportId);
        }

        return {};
      }
      case 'produce': {
        const { kind, source, rtpParameters } = data as MeetingRequestData['produce'];

        const expected = source === 'microphone' ? 'audio' : 'video';

        if (kind !== expected) throw podiumError('PODIUM_ERR_SOURCE_KIND', source, expected, kind);

        const producerId = await (await session.media(this.peerId)).produce(kind, source, rtpParameters as types.RtpParameters);

        return { producerId };
      }
      case 'closeProducer': {
        const { source } = data as MeetingRequestData['closeProducer'];

        if (!(await this.#media(session)).closeProducer(source)) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'track', source);

        return {};
      }
      case 'setMuted': {
        const { source, muted } = data as MeetingRequestData['setMuted'];

        if (!(await (await this.#media(session)).setPaused(source, muted))) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'track', source);
        this.#logger.info({ meetingId: session.id, source, muted }, 'own track muted or unmuted');
        session.tracksChanged();

        return {};
      }
      case 'consume': {
        const { producerId, rtpCapabilities } = data as MeetingRequestData['consume'];
        const consumer = await (await session.media(this.peerId)).consume(producerId, rtpCapabilities as types.RtpCapabilities);

        if (!consumer) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'track', producerId);
        if (consumer.peerId === this.peerId) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'track of another participant', producerId);

        return consumer;
      }
      case 'resumeConsumer': {
        const { consumerId } = data as MeetingRequestData['resumeConsumer'];

        if (!(await (await this.#media(session)).resumeConsumer(consumerId))) throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'consumer', consumerId);

        return {};
      }
      case 'setPreferredLayer': {
        const { consumerId, spatialLayer } = data as MeetingRequestData['setPreferredLayer'];

        if (!(await (await this.#media(session)).setPreferredLayer(consumerId, spatialLayer))) {
          throw podiumError('PODIUM_ERR_MEETING_TRACK_NOT_FOUND', 'consumer', consumerId);
        }

        return {};
      }
      case 'chat': {
        if (this.#chatRate.retryAfterMs(this.peerId) > 0) throw podiumError('PODIUM_ERR_RATE_LIMITED', 'chat messages', 10);
        this.#chatRate.record(this.peerId);

        return session.chat(this.peerId, (data as MeetingRequestData['chat']).text);
      }
      case 'setHand':
        session.setHand(this.peerId, (data as MeetingRequestData['setHand']).raised);

        return {};
      case 'leave':
        this.close(1000, 'left the meeting');

        return {};
      case 'muteParticipant':
        await session.muteParticipant(this.peerId, (data as MeetingRequestData['muteParticipant']).peerId);

        return {};
      case 'removeParticipant':
        session.removeParticipant(this.peerId, (data as MeetingRequestData['removeParticipant']).peerId);

        return {};
      case 'setLocked':
        session.setLocked(this.peerId, (data as MeetingRequestData['setLocked']).locked);

        return {};
      case 'admit':
        session.admit(this.peerId, (data as MeetingRequestData['admit']).peerId);

        return {};
      case 'deny':
        session.deny(this.peerId, (data as MeetingRequestData['deny']).peerId);

        return {};
      case 'endMeeting':
        session.end(this.peerId);

        return {};
      case 'setRecording': {
        const { on } = data as MeetingRequestData['setRecording'];

        if (!session.requireJoined(this.peerId, request.type).moderator) {
          throw podiumError('PODIUM_ERR_MEETING_NOT_MODERATOR', 'start or stop the recording');
        }
        this.#logger.info({ meetingId: session.id, on }, 'meeting recording changed by a moderator');
        await this.#meetings.setRecording(session.id, on);

        return {};
      }
    }

    throw podiumError('PODIUM_ERR_SIGNALING_UNKNOWN_TYPE', request.type, Object.keys(meetingRequestSchemas).join(', '));
  }

  async #join(request: MeetingRequestData['join']): Promise<unknown> {
    if (this.#joined) throw podiumError('PODIUM_ERR_SIGNALING_INVALID', 'join', 'this connection has joined already; open a new one');

    const { session, moderator } = this.#meetings.sessionToJoin(request.meetingId, {
      staff: this.#principal.role === 'staff',
      accessCode: request.accessCode,
      moderatorKey: request.moderatorKey,
    });
    const state = session.join(this, { key: request.participantKey, name: request.name, moderator, address: this.#address });

    this.#joined = session;
    this.#logger.info({ meetingId: session.id, moderator, state }, 'meeting join accepted');

    return {
      snapshot: session.snapshotFor(this.peerId),
      routerRtpCapabilities: await session.routerCapabilities(),
      chat: state === 'joined' ? session.chatHistory() : [],
    };
  }

  #requireJoined(type: string): MeetingSession {
    if (!this.#joined) throw podiumError('PODIUM_ERR_MEETING_NOT_JOINED', type, 'not in a meeting');
    this.#joined.requireJoined(this.peerId, type);

    return this.#joined;
  }

  #media(session: MeetingSession): Promise<MeetingPeerMedia> {
    return session.media(this.peerId);
  }
}
