import WebSocket from 'ws';
import { waitFor } from './wait-for.js';

export type SignalingMessage = {
  id?: number;
  ok?: boolean;
  type?: string;
  data?: any;
  error?: { code: string; message: string };
};

/** A test signaling connection that collects every message and matches responses to requests by id. */
export class TestSignaling {
  readonly messages: SignalingMessage[] = [];
  readonly socket: WebSocket;
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (raw) => this.messages.push(JSON.parse(raw.toString()) as SignalingMessage));
  }

  /** Opens a signaling WebSocket: the event's (/signaling) unless path names another, such as /meetings/signaling. */
  static async connect(baseUrl: string, cookie?: string, origin?: string, path = '/signaling'): Promise<TestSignaling> {
    const headers: Record<string, string> = {};

    if (cookie) headers.Cookie = cookie;
    if (origin) headers.Origin = origin;

    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}`, { headers });

    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });

    return new TestSignaling(socket);
  }

  /** Sends a request and returns its response. */
  async request(type: string, data: object = {}): Promise<SignalingMessage> {
    const id = this.#nextId++;

    this.socket.send(JSON.stringify({ id, type, data }));

    return waitFor(`the response to ${type}`, () => this.messages.find((message) => message.id === id), {
      timeoutMs: 10_000,
      intervalMs: 10,
    });
  }

  close(): void {
    this.socket.close();
  }
}
