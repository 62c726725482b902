import { html, css, nothing } from 'lit';
import type { MeetingSource, PublicMeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { api, ApiError } from '../api-client.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import '../components/podium-meeting-chat.js';
import type { PodiumMeetingChat } from '../components/podium-meeting-chat.js';
import '../components/podium-meeting-join.js';
import { CAMERA_CONSTRAINTS, MICROPHONE_CONSTRAINTS, type JoinRequest } from '../components/podium-meeting-join.js';
import '../components/podium-meeting-people.js';
import type { MeetingRequestDetail } from '../components/podium-meeting-people.js';
import '../components/podium-meeting-tile.js';
import '../components/podium-notifier.js';
import type { PodiumNotifier } from '../components/podium-notifier.js';
import { ERROR_EVENT } from '../components/report-error.js';
import { errorText } from '../error-text.js';
import { t } from '../i18n/i18n.js';
import { gridTiles, participantChanges, preferredLayer, speakerLayout, type MeetingTile, type MeetingView } from '../meeting/meeting-layout.js';
import type { ReceivedTrack } from '../meeting/meeting-media.js';
import { MeetingSession, type MeetingExit } from '../meeting/meeting-session.js';
import { pageStyles } from './page-styles.js';

/** The page's step: loading the meeting, the join screen, joining, the lobby, in the meeting, or out of it. */
export type MeetingPhase = 'loading' | 'join' | 'joining' | 'waiting' | 'joined' | 'out';

/** The reason for the end screen: a MeetingExit, or the meeting is not there. */
export type MeetingEnd = MeetingExit | 'notFound';

/** A shared screen needs few frames: a low rate leaves the bitrate to sharp text. */
const SCREEN_FRAME_RATE = 15;
const VIEW_STORAGE_KEY = 'podium.meetingView';

/**
 * The meeting page (/meet?id=…, moderators add &moderator=…): the join
 * screen with the device check, the lobby, and the meeting with its grid or
 * speaker view, screen sharing, chat, raised hands, the participant list
 * and, for moderators, the moderation. Tests read the received tracks with
 * receivedTracks().
 */
export class PodiumMeetingPage extends LocalizedElement {
  static override properties = {
    phase: { state: true },
    info: { state: true },
    end: { state: true },
    joinProblem: { state: true },
    view: { state: true },
    announcement: { state: true },
    revision: { state: true },
  };

  phase: MeetingPhase = 'loading';
  info: PublicMeetingInfo | undefined;
  end: MeetingEnd | undefined;
  /** The reason the last join failed, translated, for the join screen. */
  joinProblem = '';
  view: MeetingView = localStorage.getItem(VIEW_STORAGE_KEY) === 'speaker' ? 'speaker' : 'grid';
  /** The text of the polite live region: who joined or left, a moderator's mute. */
  announcement = '';
  /** Counts the session's changes, so that each one renders the page again. */
  revision = 0;

  readonly #meetingId = new URLSearchParams(location.search).get('id') ?? '';
  readonly #moderatorKey = new URLSearchParams(location.search).get('moderator') ?? undefined;
  #session: MeetingSession | undefined;
  /** The devices chosen on the join screen, for switching the camera or microphone on later. */
  #devices = { cameraId: '', microphoneId: '' };
  /** The participant heard last, which the speaker view keeps large through silences. */
  #lastSpeaker: string | null = null;
  #previous: MeetingSession['snapshot'];

  static override styles = [
    pageStyles,
    css`
      main {
        padding: 1rem 1.5rem;
      }
      .join {
        max-width: 1000px;
        margin: 0 auto;
      }
      .meeting {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(18rem, 1fr);
        gap: 1rem;
      }
      @media (max-width: 60rem) {
        .meeting {
          grid-template-columns: 1fr;
        }
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
        gap: 0.5rem;
      }
      .strip {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.75rem 0;
      }
      .controls button,
      .out a,
      .out button {
        color: #f9fafb;
        background: #1f2937;
        border: 2px solid #6b7280;
        border-radius: 8px;
      }
      .controls button[aria-pressed='true'],
      .controls button[data-on='true'] {
        background: #1e3a8a;
      }
      .controls button.off {
        background: #7f1d1d;
      }
      .controls .leave {
        background: #b91c1c;
        border-color: #b91c1c;
        margin-left: auto;
      }
      aside section {
        margin-bottom: 1rem;
      }
      h2 {
        font-size: 1.25rem;
        margin: 0 0 0.5rem;
      }
      .out {
        max-width: 40rem;
        margin: 3rem auto;
        text-align: center;
      }
      .out a {
        display: inline-block;
        padding: 0.5rem 1rem;
      }
      .sounds {
        display: none;
      }
      .tally {
        margin: 0;
        padding: 0.5rem 1.5rem;
        font-weight: 700;
        background: #b91c1c;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('meeting.title');
    this.addEventListener(ERROR_EVENT, (event) => this.#showError((event as CustomEvent<unknown>).detail));
    this.addEventListener('meeting-request', (event) => void this.#send((event as CustomEvent<MeetingRequestDetail>).detail));
    void this.#load();
  }

  override disconnectedCallback(): void {
    this.#session?.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = this.info ? `${this.info.name} – ${t('meeting.title')}` : t('meeting.title');
  }

  /** Returns every track the page receives now, with the participant and source it comes from. */
  receivedTracks(): ReceivedTrack[] {
    return this.#session?.receivedTracks() ?? [];
  }

  async #load(): Promise<void> {
    if (!this.#meetingId) {
      this.#finish('notFound');

      return;
    }
    try {
      this.info = await api.publicMeeting(this.#meetingId);
      this.languageChanged();
      if (this.info.state !== 'open') this.#finish('ended');
      else this.phase = 'join';
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PODIUM_ERR_MEETING_NOT_FOUND') this.#finish('notFound');
      else {
        this.phase = 'join';
        this.#showError(error);
      }
    }
  }

  #join(request: JoinRequest): void {
    const tracks = new Map<MeetingSource, { track: MediaStreamTrack; muted: boolean }>();

    if (request.camera) tracks.set('camera', { track: request.camera, muted: false });
    if (request.microphone) tracks.set('microphone', { track: request.microphone, muted: false });
    this.#devices = { cameraId: request.cameraId, microphoneId: request.microphoneId };
    this.joinProblem = '';
    this.phase = 'joining';

    const session = new MeetingSession(
      { meetingId: this.#meetingId, name: request.name, accessCode: request.accessCode || undefined, moderatorKey: this.#moderatorKey },
      tracks,
    );

    this.#session = session;
    session.addEventListener('change', () => this.#onChange(session));
    session.addEventListener('joinfailed', (event) => this.#onJoinFailed(session, (event as CustomEvent<unknown>).detail));
    session.addEventListener('exit', (event) => this.#finish((event as CustomEvent<MeetingExit>).detail));
    session.addEventListener('failure', (event) => this.#showError((event as CustomEvent<unknown>).detail));
    session.addEventListener('mutedbymoderator', () => (this.announcement = t('meeting.mutedByModerator')));
    session.start();
  }

  #onChange(session: MeetingSession): void {
    const snapshot = session.snapshot;

    if (session !== this.#session || !snapshot) return;
    if (snapshot.activeSpeaker) this.#lastSpeaker = snapshot.activeSpeaker;
    if (snapshot !== this.#previous) {
      const { joined, left } = participantChanges(this.#previous, snapshot);
      const news = [...joined.map((name) => t('meeting.joinedName', { name })), ...left.map((name) => t('meeting.leftName', { name }))];

      if (news.length > 0) this.announcement = news.join(' ');
      this.#previous = snapshot;
    }
    if (snapshot.self.state === 'waiting') this.phase = 'waiting';
    if (snapshot.self.state === 'joined') this.phase = 'joined';
    this.revision++;
  }

  #onJoinFailed(session: MeetingSession, error: unknown): void {
    if (session !== this.#session) return;
    this.#session = undefined;
    this.#previous = undefined;
    this.joinProblem = errorText(error);
    this.phase = 'join';
  }

  #finish(end: MeetingEnd): void {
    this.#session?.close();
    this.#session = undefined;
    this.end = end;
    this.phase = 'out';
  }

  #showError(error: unknown): void {
    this.renderRoot.querySelector<PodiumNotifier>('podium-notifier')?.show(errorText(error));
  }

  async #send(detail: MeetingRequestDetail): Promise<void> {
    try {
      await this.#session?.request(detail.type, detail.data as never);
    } catch (error) {
      this.#showError(error);
    }
  }

  /** Switches the camera or microphone: mutes or unmutes the published track, or opens the device first. */
  async #toggleDevice(source: 'camera' | 'microphone'): Promise<void> {
    const session = this.#session;
    const producer = this.#ownProducer(source);

    if (!session) return;
    try {
      if (session.isPublishing(source) && producer) {
        await session.setMuted(source, !producer.paused);

        return;
      }

      const deviceId = source === 'camera' ? this.#devices.cameraId : this.#devices.microphoneId;
      const constraints = source === 'camera' ? CAMERA_CONSTRAINTS : MICROPHONE_CONSTRAINTS;
      const device = deviceId ? { deviceId: { ideal: deviceId } } : {};
      const stream = await navigator.mediaDevices.getUserMedia(source === 'camera' ? { video: { ...constraints, ...device } } : { audio: { ...constraints, ...device } });
      const [track] = stream.getTracks();

      if (track) await session.publish(source, track);
    } catch (error) {
      this.#showError(error);
    }
  }

  async #toggleScreen(): Promise<void> {
    const session = this.#session;

    if (!session) return;
    try {
      if (session.isPublishing('screen')) {
        await session.stopPublishing('screen');

        return;
      }

      const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: SCREEN_FRAME_RATE }, audio: false });
      const [track] = stream.getVideoTracks();

      if (!track) return;
      track.contentHint = 'detail';
      track.addEventListener('ended', () => void session.stopPublishing('screen'));
      await session.publish('screen', track);
    } catch (error) {
      this.#showError(error);
    }
  }

  #setView(view: MeetingView): void {
    this.view = view;
    localStorage.setItem(VIEW_STORAGE_KEY, view);
  }

  #ownProducer(source: MeetingSource) {
    const snapshot = this.#session?.snapshot;
    const self = snapshot?.participants.find((participant) => participant.peerId === snapshot.self.peerId);

    return self?.producers.find((producer) => producer.source === source);
  }

  #trackOf(tile: MeetingTile): MediaStreamTrack | undefined {
    if (tile.self) return this.#session?.localTrack(tile.source);

    return tile.videoProducerId ? this.#session?.receivedTrack(tile.videoProducerId) : undefined;
  }

  protected override updated(): void {
    this.#applyLayers();
    this.#syncSounds();
  }

  /** Requests for each received camera the simulcast layer its tile's size needs. */
  #applyLayers(): void {
    const session = this.#session;

    if (!session?.snapshot || this.phase !== 'joined') return;

    const tiles = gridTiles(session.snapshot);
    const { large } = speakerLayout(tiles, session.snapshot.activeSpeaker ?? this.#lastSpeaker);

    for (const tile of tiles) {
      if (tile.self || tile.source !== 'camera' || !tile.videoProducerId) continue;
      session.setPreferredLayer(tile.videoProducerId, preferredLayer(tile, this.view, tiles, large));
    }
  }

  /** Plays each received sound in an audio element of its own, and removes those of ended consumers. */
  #syncSounds(): void {
    const container = this.renderRoot.querySelector<HTMLElement>('.sounds');

    if (!container) return;

    const sounds = this.receivedTracks().filter((received) => received.kind === 'audio');
    const ids = new Set(sounds.map((sound) => sound.track.id));

    for (const audio of container.querySelectorAll('audio')) {
      if (!ids.has(audio.dataset.trackId ?? '')) audio.remove();
    }
    for (const sound of sounds) {
      if (container.querySelector(`audio[data-track-id="${CSS.escape(sound.track.id)}"]`)) continue;

      const audio = document.createElement('audio');

      audio.dataset.trackId = sound.track.id;
      audio.dataset.peerId = sound.peerId;
      audio.autoplay = true;
      audio.srcObject = new MediaStream([sound.track]);
      container.append(audio);
      void audio.play().catch(() => undefined);
    }
  }

  #renderTile(tile: MeetingTile, speaker: string | null, large = false) {
    return html`<podium-meeting-tile
      .tile=${tile}
      .track=${this.#trackOf(tile)}
      ?active=${tile.peerId === speaker && tile.source === 'camera'}
      ?large=${large}
    ></podium-meeting-tile>`;
  }

  #renderStage() {
    const snapshot = this.#session?.snapshot;

    if (!snapshot) return nothing;

    const tiles = gridTiles(snapshot);
    const speaker = snapshot.activeSpeaker;

    if (this.view === 'grid') {
      return html`<div class="grid" data-testid="meeting-grid" data-view="grid">${tiles.map((tile) => this.#renderTile(tile, speaker))}</div>`;
    }

    const { large, small } = speakerLayout(tiles, speaker ?? this.#lastSpeaker);

    return html`<div data-testid="meeting-grid" data-view="speaker">
      ${large ? this.#renderTile(large, speaker, true) : nothing}
      <div class="strip">${small.map((tile) => this.#renderTile(tile, speaker))}</div>
    </div>`;
  }

  #renderControls() {
    const session = this.#session;
    const microphone = this.#ownProducer('microphone');
    const camera = this.#ownProducer('camera');
    const microphoneOn = Boolean(microphone && !microphone.paused);
    const cameraOn = Boolean(camera && !camera.paused);
    const sharing = session?.isPublishing('screen') ?? false;
    const snapshot = session?.snapshot;
    const handRaised = snapshot?.participants.find((participant) => participant.peerId === snapshot.self.peerId)?.handRaised ?? false;

    return html`<div class="controls" role="group" aria-label=${t('meeting.controls')}>
      <button class=${microphoneOn ? '' : 'off'} data-testid="meeting-microphone" data-on=${String(microphoneOn)} @click=${() => void this.#toggleDevice('microphone')}>
        ${microphoneOn ? t('meeting.muteMicrophone') : t('meeting.unmuteMicrophone')}
      </button>
      <button class=${cameraOn ? '' : 'off'} data-testid="meeting-camera" data-on=${String(cameraOn)} @click=${() => void this.#toggleDevice('camera')}>
        ${cameraOn ? t('meeting.stopCamera') : t('meeting.startCamera')}
      </button>
      <button data-testid="meeting-screen" data-on=${String(sharing)} @click=${() => void this.#toggleScreen()}>
        ${sharing ? t('meeting.stopScreen') : t('meeting.shareScreen')}
      </button>
      <button data-testid="meeting-hand" data-on=${String(handRaised)} @click=${() => void this.#send({ type: 'setHand', data: { raised: !handRaised } })}>
        ${handRaised ? t('meeting.lowerHand') : t('meeting.raiseHand')}
      </button>
      <button data-testid="meeting-view" aria-pressed=${this.view === 'speaker' ? 'true' : 'false'} @click=${() => this.#setView(this.view === 'grid' ? 'speaker' : 'grid')}>
        ${t('meeting.speakerView')}
      </button>
      <button class="leave" data-testid="meeting-leave" @click=${() => void this.#session?.leave()}>${t('meeting.leave')}</button>
    </div>`;
  }

  async #sendChat(text: string): Promise<void> {
    try {
      await this.#session?.request('chat', { text });
      this.renderRoot.querySelector<PodiumMeetingChat>('podium-meeting-chat')?.clear();
    } catch (error) {
      this.#showError(error);
    }
  }

  #renderMeeting() {
    const session = this.#session;
    const snapshot = session?.snapshot;

    return html`<div class="meeting">
      <section aria-labelledby="stage-heading">
        <h2 id="stage-heading" class="visually-hidden">${t('meeting.pictures')}</h2>
        ${snapshot?.meeting.locked ? html`<p class="banner" data-testid="meeting-locked">${t('meeting.locked')}</p>` : nothing}
        ${this.#renderStage()} ${this.#renderControls()}
      </section>
      <aside>
        <section aria-labelledby="people-heading">
          <h2 id="people-heading">${t('meeting.participantsCount', { count: snapshot?.participants.length ?? 0 })}</h2>
          <podium-meeting-people .snapshot=${snapshot}></podium-meeting-people>
        </section>
        <section aria-labelledby="chat-heading">
          <h2 id="chat-heading">${t('meeting.chat')}</h2>
          <podium-meeting-chat
            .messages=${session?.chat ?? []}
            selfPeerId=${snapshot?.self.peerId ?? ''}
            @chat-send=${(event: CustomEvent<string>) => void this.#sendChat(event.detail)}
          ></podium-meeting-chat>
        </section>
      </aside>
    </div>`;
  }

  /** Renders the tally and notice that the meeting is recorded or streamed, or nothing. */
  #renderTally() {
    const snapshot = this.#session?.snapshot;

    if (!snapshot || (!snapshot.recording && !snapshot.streaming)) return nothing;

    const key = snapshot.recording && snapshot.streaming
      ? 'meeting.recordingAndStreamingNotice'
      : snapshot.recording
        ? 'meeting.recordingNotice'
        : 'meeting.streamingNotice';

    return html`<p class="tally" role="status" data-testid="meeting-tally" data-recording=${String(snapshot.recording)} data-streaming=${String(snapshot.streaming)}>
      <span aria-hidden="true">●</span> ${t(key)}
    </p>`;
  }

  #renderOut() {
    const end = this.end ?? 'left';

    return html`<div class="out" data-testid="meeting-over" data-reason=${end}>
      <h2 role="status">${t(`meeting.end.${end}`)}</h2>
      ${end === 'left' || end === 'denied'
        ? html`<p><a href=${location.pathname + location.search} data-testid="meeting-rejoin">${t('meeting.rejoin')}</a></p>`
        : nothing}
    </div>`;
  }

  #renderMain() {
    switch (this.phase) {
      case 'loading':
        return html`<p role="status">${t('meeting.loading')}</p>`;
      case 'join':
      case 'joining':
        return html`<div class="join">
          <h2>${t('meeting.joinHeading')}</h2>
          <podium-meeting-join
            .info=${this.info}
            .problem=${this.joinProblem}
            ?busy=${this.phase === 'joining'}
            @meeting-join=${(event: CustomEvent<JoinRequest>) => this.#join(event.detail)}
          ></podium-meeting-join>
        </div>`;
      case 'waiting':
        return html`<div class="out" data-testid="meeting-lobby">
          <h2 role="status">${t('meeting.waiting')}</h2>
          <button data-testid="meeting-leave" @click=${() => void this.#session?.leave()}>${t('meeting.leave')}</button>
        </div>`;
      case 'joined':
        return this.#renderMeeting();
      case 'out':
        return this.#renderOut();
    }
  }

  override render() {
    return html`
      <header>
        <h1>${this.info?.name ?? t('meeting.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      ${this.#session?.reconnecting ? html`<p class="banner" role="status">${t('connection.lost')}</p>` : nothing}
      ${this.phase === 'joined' || this.phase === 'waiting' ? this.#renderTally() : nothing}
      <podium-notifier></podium-notifier>
      <p class="visually-hidden" role="status" aria-live="polite" data-testid="meeting-announcement">${this.announcement}</p>
      <main>${this.#renderMain()}</main>
      <div class="sounds" aria-hidden="true"></div>
    `;
  }
}

customElements.define('podium-meeting-page', PodiumMeetingPage);
