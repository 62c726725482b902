import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { podiumError, toErrorBody } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { Logger } from '../log.js';
import type { Room } from '../sfu/room.js';
import type { RoomViewer } from '../sfu/room-viewer.js';
import type { Notification, PageKind, Request, RequestData, Response } from './protocol.js';
import { parseRequest } from './validate.js';

/** A socket whose unsent data exceeds this is not reading; it is dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

type RtpCapabilities = import('mediasoup').types.RtpCapabilities;

export type PeerHooks = {
  /** Called once, when the page has joined with its page kind. */
  onJoin: () => void;
  /** Called once, when the connection has closed. */
  onClose: () => void;
};

/**
 * One page's signaling connection. Watch pages receive the room through one
 * WebRTC transport; every page follows the event snapshot.
 */
export class SignalingPeer {
  readonly id = randomUUID();
  readonly #socket: WebSocket;
  readonly #controller: EventController;
  readonly #logger: Logger;
  #page: PageKind | undefined;
  #viewer: RoomViewer | undefined;
  #closed = false;
  readonly #hooks: PeerHooks;

  constructor(socket: WebSocket, controller: EventController, logger: Logger, hooks: PeerHooks) {
    this.#socket = socket;
    this.#controller = controller;
    this.#logger = logger.child({ peerId: this.id });
    this.#hooks = hooks;
    socket.on('message', (raw, isBinary) => void this.#onMessage(isBinary ? '\u0000binary' : raw.toString()));
    socket.on('close', () => this.close());
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'socket error'));
    this.#logger.info('peer connected');
  }

  get page(): PageKind | undefined {
    return this.#page;
  }

  notify(message: Notification): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#logger.warn({ buffered: this.#socket.bufferedAmount }, 'peer stopped reading, closing it');
      this.#socket.terminate();

      return;
    }
    this.#socket.send(JSON.stringify(message));
  }

  /** Closes the receive transport, for example when the room has gone. */
  dropViewer(): void {
    if (!this.#viewer) return;
    this.#viewer.close();
    this.#viewer = undefined;
    this.notify({ type: 'consumersClosed', data: {} });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#viewer?.close();
    this.#socket.terminate();
    this.#logger.info({ page: this.#page }, 'peer disconnected');
    this.#hooks.onClose();
  }

  async #onMessage(raw: string): Promise<void> {
    const parsed = parseRequest(raw);

    if (!parsed.ok) {
      this.#logger.warn({ code: parsed.error.code, detail: parsed.error.message }, 'rejected signaling message');
      if (parsed.id === undefined) {
        this.notify({ type: 'error', error: { code: parsed.error.code, message: parsed.error.message } });
      } else {
        this.#respond({ id: parsed.id, ok: false, error: { code: parsed.error.code, message: parsed.error.message } });
      }

      return;
    }

    const { request } = parsed;

    try {
      const data = await this.#handle(request);

      this.#respond({ id: request.id, ok: true, data });
    } catch (error) {
      const { status, body } = toErrorBody(error);

      if (status >= 500) {
        this.#logger.error({ err: error, type: request.type, code: body.code }, 'signaling request failed');
      } else {
        this.#logger.warn({ type: request.type, code: body.code, detail: body.message }, 'signaling request rejected');
      }
      this.#respond({ id: request.id, ok: false, error: body });
    }
  }

  #respond(response: Response): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    this.#socket.send(JSON.stringify(response));
  }

  async #handle(request: Request): Promise<unknown> {
    switch (request.type) {
      case 'join':
        return this.#join((request.data as RequestData['join']).page);
      case 'getRouterRtpCapabilities':
        return { rtpCapabilities: this.#requireRoom().rtpCapabilities };
      case 'createRecvTransport':
        return this.#createRecvTransport();
      case 'connectTransport':
        await this.#requireViewer().connect(
          (request.data as RequestData['connectTransport']).dtlsParameters as Parameters<RoomViewer['connect']>[0],
        );

        return {};
      case 'consume': {
        const { rtpCapabilities } = request.data as RequestData['consume'];
        const consumers = await this.#requireViewer()
          .consume(rtpCapabilities as RtpCapabilities, ['venue-camera', 'venue-mic'])
          .catch((error: unknown) => {
            throw podiumError('PODIUM_ERR_MEDIA', (error as Error).message);
          });

        return { consumers };
      }
      case 'resumeConsumer': {
        const { consumerId } = request.data as RequestData['resumeConsumer'];

        if (!(await this.#requireViewer().resume(consumerId))) {
          throw podiumError('PODIUM_ERR_CONSUMER_NOT_FOUND', consumerId);
        }

        return {};
      }
    }
  }

  #join(page: PageKind): unknown {
    const first = this.#page === undefined;

    this.#page = page;
    this.#logger.info({ page }, 'peer joined');
    if (first) this.#hooks.onJoin();

    return { peerId: this.id, snapshot: this.#controller.snapshot() };
  }

  async #createRecvTransport(): Promise<unknown> {
    const room = this.#requireRoom();

    this.#viewer?.close();
    this.#viewer = await room.createViewer(this.id, this.#logger);

    return this.#viewer.transportOptions();
  }

  #requireRoom(): Room {
    const room = this.#controller.room;
    const snapshot = this.#controller.snapshot();

    if (!room || snapshot.event?.state !== 'live') {
      throw podiumError('PODIUM_ERR_NOT_LIVE', snapshot.event?.state ?? 'no event');
    }

    return room;
  }

  #requireViewer(): RoomViewer {
    if (!this.#viewer || this.#viewer.closed) throw podiumError('PODIUM_ERR_NO_TRANSPORT');

    return this.#viewer;
  }
}
