import type { Page, WebSocketRoute } from 'playwright-core';
import type {
  ChatMessage,
  MeetingNotification,
  MeetingParticipant,
  MeetingSnapshot,
  PublicMeetingInfo,
} from '../../appliance/meetings/meeting-protocol.js';

/** A router's RTP capabilities with Opus and VP8, enough for mediasoup-client's Device.load(). */
export const MOCK_ROUTER_CAPABILITIES = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100, parameters: {}, rtcpFeedback: [] },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101, parameters: {}, rtcpFeedback: [{ type: 'nack' }] },
  ],
  headerExtensions: [],
};

/** Transport options that mediasoup-client accepts; no media ever flows over them. */
function transportOptions(direction: string) {
  return {
    id: `transport-${direction}`,
    iceParameters: { usernameFragment: 'mockfragment', password: 'mockpasswordmockpassword', iceLite: true },
    iceCandidates: [],
    dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }] },
  };
}

type Request = { id: number; type: string; data: Record<string, unknown> };

/**
 * A scripted stand-in for Podium's /meetings/signaling inside one
 * Chromium page (Playwright's routeWebSocket), for testing the meeting
 * page's screens without the server's meetings or media. It records every
 * request, responds to join with the snapshot the test sets, and lets the
 * test push notifications.
 */
export class MockMeetingSignaling {
  readonly requests: Request[] = [];
  /** The join response's snapshot, or an error code that rejects the join. */
  joinResult: MeetingSnapshot | { error: string } | undefined;
  chatHistory: ChatMessage[] = [];
  #socket: WebSocketRoute | undefined;
  #nextChatId = 100;

  /** Mocks /api/meetings/:id/public (404 for info undefined) and the signaling socket of a page. */
  async install(page: Page, info: PublicMeetingInfo | undefined): Promise<void> {
    await page.route(/\/api\/meetings\/[^/]+\/public$/, (route) =>
      info
        ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(info) })
        : route.fulfill({
            status: 404,
            contentType: 'application/json',
            body: JSON.stringify({ code: 'PODIUM_ERR_MEETING_NOT_FOUND', message: 'meeting not found' }),
          }),
    );
    await page.routeWebSocket(/\/meetings\/signaling$/, (socket) => {
      this.#socket = socket;
      socket.onMessage((text) => this.#onRequest(JSON.parse(String(text)) as Request));
    });
  }

  /** Sends a notification to the page. */
  notify(message: MeetingNotification): void {
    if (!this.#socket) throw new Error('the page has not opened the signaling socket');
    this.#socket.send(JSON.stringify(message));
  }

  /** Returns the requests of a type that the page sent so far. */
  sent(type: string): Request[] {
    return this.requests.filter((request) => request.type === type);
  }

  #reply(id: number, data: unknown): void {
    this.#socket?.send(JSON.stringify({ id, ok: true, data }));
  }

  #onRequest(request: Request): void {
    this.requests.push(request);
    if (request.type === 'join') {
      const result = this.joinResult;

      if (!result) throw new Error('the test set no join result');
      if ('error' in result) {
        this.#socket?.send(JSON.stringify({ id: request.id, ok: false, error: { code: result.error, message: result.error } }));

        return;
      }
      this.#reply(request.id, { snapshot: result, routerRtpCapabilities: MOCK_ROUTER_CAPABILITIES, chat: this.chatHistory });

      return;
    }
    if (request.type === 'createTransport') {
      this.#reply(request.id, transportOptions(String(request.data.direction)));

      return;
    }
    if (request.type === 'chat') {
      const message: ChatMessage = { id: this.#nextChatId++, peerId: 'self', name: 'Ada', text: String(request.data.text), at: new Date().toISOString() };

      this.#reply(request.id, {});
      this.notify({ type: 'chat', data: message });

      return;
    }
    this.#reply(request.id, {});
  }
}

/** Returns a participant without media, joined at the given minute. */
export function mockParticipant(peerId: string, name: string, minute: number, extra: Partial<MeetingParticipant> = {}): MeetingParticipant {
  return {
    peerId,
    name,
    moderator: false,
    handRaised: false,
    joinedAt: `2026-12-05T10:${String(minute).padStart(2, '0')}:00Z`,
    producers: [],
    ...extra,
  };
}

/** Returns a snapshot of an open meeting for the page whose peer id is "self". */
export function mockSnapshot(overrides: Partial<MeetingSnapshot> = {}): MeetingSnapshot {
  return {
    meeting: { id: 'm1', name: 'Lesekreis', hasAccessCode: false, lobby: false, state: 'open', locked: false },
    self: { peerId: 'self', state: 'joined', moderator: false },
    participants: [mockParticipant('self', 'Ada', 0), mockParticipant('p2', 'Bruno', 1)],
    lobby: [],
    activeSpeaker: null,
    recording: false,
    streaming: false,
    ...overrides,
  };
}
