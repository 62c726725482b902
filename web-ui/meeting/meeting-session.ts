import type { types } from 'mediasoup-client';
import type {
  ChatMessage,
  MeetingNotification,
  MeetingRequestData,
  MeetingRequestType,
  MeetingSelfState,
  MeetingSnapshot,
  MeetingSource,
} from '../../appliance/meetings/meeting-protocol.js';
import { tabKey } from '../listener-key.js';
import { mergeChat } from './chat-format.js';
import { MeetingMedia, type ReceivedTrack } from './meeting-media.js';
import { CLOSE_OUT, CLOSE_REPLACED, MeetingSignaling } from './meeting-signaling.js';

const PARTICIPANT_KEY_STORAGE = 'podium.meetingParticipantKey';

/**
 * Why the page is out of the meeting: the server's reasons, the participant
 * left, or the same participant connected again from another tab.
 */
export type MeetingExit = Exclude<MeetingSelfState, 'joined' | 'waiting'> | 'left' | 'replaced';

/** The meeting, name and secrets the page joins with. */
export type JoinDetails = {
  meetingId: string;
  name: string;
  accessCode?: string;
  moderatorKey?: string;
};

type JoinResponse = { snapshot: MeetingSnapshot; routerRtpCapabilities: types.RtpCapabilities; chat?: ChatMessage[] };

/** The page's own tracks, kept across a reconnection, with whether each is muted. */
type LocalTracks = Map<MeetingSource, { track: MediaStreamTrack; muted: boolean }>;

/**
 * One participant's meeting: the signaling connection, joining (again after
 * every reconnection, with the tab's participant key), the snapshot and
 * chat, and the media. It dispatches "change" after every change of state,
 * "joinfailed" (detail: the error) when a join is rejected, "exit" (detail:
 * MeetingExit), "chat" (detail: a new ChatMessage), "mutedbymoderator" and
 * "failure" (detail: an error the server reported or a publish that failed).
 */
export class MeetingSession extends EventTarget {
  readonly #signaling = new MeetingSignaling();
  readonly #details: JoinDetails;
  #media: MeetingMedia | undefined;
  #routerRtpCapabilities: types.RtpCapabilities | undefined;
  /** Tracks to publish once joined: those the join screen opened, or those kept from a closed connection. */
  #pending: LocalTracks;
  snapshot: MeetingSnapshot | undefined;
  chat: ChatMessage[] = [];
  /** True while the connection is down after having been up. */
  reconnecting = false;
  #exited = false;
  /** True once the server let this page into the meeting (not only the lobby). */
  #everJoined = false;

  constructor(details: JoinDetails, tracks: LocalTracks) {
    super();
    this.#details = details;
    this.#pending = tracks;
    this.#signaling.addEventListener('open', () => void this.#join());
    this.#signaling.addEventListener('close', (event) => this.#onClose((event as CustomEvent<number>).detail));
    this.#signaling.addEventListener('notification', (event) => this.#onNotification((event as CustomEvent<MeetingNotification>).detail));
  }

  /** Connects and joins; the outcome arrives as "change", "joinfailed" or "exit". */
  start(): void {
    this.#signaling.connect();
  }

  request<T extends MeetingRequestType>(type: T, data: MeetingRequestData[T]): Promise<unknown> {
    return this.#signaling.request(type, data);
  }

  get joined(): boolean {
    return this.snapshot?.self.state === 'joined' && !this.#exited;
  }

  async #join(): Promise<void> {
    const { meetingId, name, accessCode, moderatorKey } = this.#details;

    try {
      const response = (await this.#signaling.request('join', {
        meetingId,
        name,
        participantKey: tabKey(PARTICIPANT_KEY_STORAGE),
        ...(accessCode ? { accessCode } : {}),
        ...(moderatorKey ? { moderatorKey } : {}),
      })) as JoinResponse;

      this.reconnecting = false;
      this.#routerRtpCapabilities = response.routerRtpCapabilities;
      this.chat = mergeChat(this.chat, response.chat ?? []);
      await this.#applySnapshot(response.snapshot);
    } catch (error) {
      const code = (error as { code?: string }).code;

      // A dropped connection tries again by itself; any rejection of the join itself is final. A removed
      // key and an ended meeting get the end screen, because no other input on the join screen helps.
      if (code === 'DISCONNECTED') return;
      if (code === 'PODIUM_ERR_MEETING_REMOVED') this.#exit('removed');
      else if (code === 'PODIUM_ERR_MEETING_ENDED') this.#exit('ended');
      else this.#rejected(error);
    }
  }

  /**
   * Ends the session after the server rejected the join. On a first join
   * the join screen still has the tracks and keeps them for the next
   * attempt. On a join again after a reconnection, they end here.
   */
  #rejected(error: unknown): void {
    if (this.#everJoined) this.#stopPending();
    this.#pending.clear();
    this.close();
    this.dispatchEvent(new CustomEvent('joinfailed', { detail: error }));
  }

  async #applySnapshot(snapshot: MeetingSnapshot): Promise<void> {
    if (this.#exited) return;
    this.snapshot = snapshot;
    this.#change();

    const state = snapshot.self.state;

    if (state === 'removed' || state === 'ended' || state === 'denied') {
      this.#exit(state);

      return;
    }
    if (state !== 'joined') return;
    this.#everJoined = true;
    if (!this.#media) await this.#startMedia();
    this.#syncConsumers();
  }

  async #startMedia(): Promise<void> {
    const capabilities = this.#routerRtpCapabilities;

    if (!capabilities) return;

    const media = new MeetingMedia(this.#signaling);
    const tracks = this.#pending;

    this.#media = media;
    this.#pending = new Map();
    try {
      await media.start(capabilities);
      for (const [source, { track, muted }] of tracks) {
        if (track.readyState === 'live') await media.publish(source, track, muted);
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#change();
  }

  /** Consumes every producer of the others not consumed yet, and drops those that are gone. */
  #syncConsumers(): void {
    const media = this.#media;
    const snapshot = this.snapshot;

    if (!media || !snapshot) return;

    const live = new Set<string>();

    for (const participant of snapshot.participants) {
      if (participant.peerId === snapshot.self.peerId) continue;
      for (const producer of participant.producers) {
        live.add(producer.producerId);
        void media.consume(producer.producerId).then(
          (received) => received && this.#change(),
          (error: Error) => this.#onConsumeFailed(error),
        );
      }
    }
    media.dropExcept(live);
    this.#change();
  }

  /**
   * Reports a failed consume, unless the producer closed meanwhile (the
   * next snapshot drops it) or the connection dropped (joining again
   * consumes anew).
   */
  #onConsumeFailed(error: Error): void {
    const code = (error as { code?: string }).code;

    if (code === 'PODIUM_ERR_MEETING_TRACK_NOT_FOUND' || code === 'DISCONNECTED') return;
    this.#fail(error);
  }

  #onNotification(message: MeetingNotification): void {
    if (message.type === 'meeting') void this.#applySnapshot(message.data);
    else if (message.type === 'chat') {
      this.chat = mergeChat(this.chat, [message.data]);
      this.dispatchEvent(new CustomEvent('chat', { detail: message.data }));
      this.#change();
    } else if (message.type === 'chatHistory') {
      this.chat = mergeChat(this.chat, message.data.messages);
      this.#change();
    } else if (message.type === 'activeSpeaker' && this.snapshot) {
      this.snapshot = { ...this.snapshot, activeSpeaker: message.data.peerId };
      this.#change();
    } else if (message.type === 'consumerClosed') {
      this.#media?.dropConsumer(message.data.consumerId);
      this.#change();
    } else if (message.type === 'consumerLayers') {
      this.#media?.setSpatialLayer(message.data.consumerId, message.data.spatialLayer);
    } else if (message.type === 'mutedByModerator') {
      this.#media?.pauseLocally(message.data.source);
      this.dispatchEvent(new CustomEvent('mutedbymoderator', { detail: message.data.source }));
      this.#change();
    } else if (message.type === 'error') {
      this.#fail(message.error);
    }
  }

  /**
   * Handles a closed connection. After the media worker failed, Podium
   * restarted or the network dropped, the tracks wait for the next join.
   * A tab that took this participant over, or the server sending the
   * participant out, ends the session.
   */
  #onClose(code: number): void {
    if (this.#exited) return;
    if (code === CLOSE_REPLACED || code === CLOSE_OUT) {
      // The "meeting" snapshot with the reason comes before CLOSE_OUT, so "ended" is only a fallback.
      this.#exit(code === CLOSE_REPLACED ? 'replaced' : 'ended');

      return;
    }
    if (this.#media) {
      for (const [source, entry] of this.#media.detach()) this.#pending.set(source, entry);
      this.#media = undefined;
    }
    this.reconnecting = true;
    this.#change();
  }

  /** Publishes a new track as a source (the camera switched on, a shared screen). */
  async publish(source: MeetingSource, track: MediaStreamTrack): Promise<void> {
    if (!this.#media) throw new Error('not in the meeting');
    await this.#media.publish(source, track);
    this.#change();
  }

  async stopPublishing(source: MeetingSource): Promise<void> {
    await this.#media?.stop(source);
    this.#change();
  }

  async setMuted(source: MeetingSource, muted: boolean): Promise<void> {
    await this.#media?.setMuted(source, muted);
    this.#change();
  }

  isPublishing(source: MeetingSource): boolean {
    return this.#media?.isPublishing(source) ?? false;
  }

  /** Returns the page's own track of a source, published or waiting to be. */
  localTrack(source: MeetingSource): MediaStreamTrack | undefined {
    return this.#media?.track(source) ?? this.#pending.get(source)?.track;
  }

  receivedTrack(producerId: string): MediaStreamTrack | undefined {
    return this.#media?.receivedTrack(producerId);
  }

  receivedTracks(): ReceivedTrack[] {
    return this.#media?.receivedTracks() ?? [];
  }

  setPreferredLayer(producerId: string, spatialLayer: number): void {
    void this.#media?.setPreferredLayer(producerId, spatialLayer).catch((error: Error) => this.#fail(error));
  }

  /** Leaves the meeting and ends the page's tracks. */
  async leave(): Promise<void> {
    await this.#signaling.request('leave', {}).catch(() => undefined);
    this.#exit('left');
  }

  /** Ends everything without a word to the server (the page went away). */
  close(): void {
    this.#exited = true;
    this.#media?.close();
    this.#media = undefined;
    this.#stopPending();
    this.#signaling.close();
  }

  #exit(reason: MeetingExit): void {
    if (this.#exited) return;
    this.close();
    this.dispatchEvent(new CustomEvent('exit', { detail: reason }));
  }

  #stopPending(): void {
    for (const { track } of this.#pending.values()) track.stop();
    this.#pending.clear();
  }

  #fail(error: unknown): void {
    this.dispatchEvent(new CustomEvent('failure', { detail: error }));
  }

  #change(): void {
    this.dispatchEvent(new CustomEvent('change'));
  }
}
