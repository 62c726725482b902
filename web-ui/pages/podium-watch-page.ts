import { html, css, nothing } from 'lit';
import type { Caption, EventSnapshot, Notification, PublicQuestion, StageInvitation } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-access-code-form.js';
import '../components/podium-caption-overlay.js';
import '../components/podium-audience-questions.js';
import '../components/podium-player-controls.js';
import '../components/podium-question-form.js';
import '../components/podium-language-switch.js';
import '../components/podium-privacy-link.js';
import '../components/podium-stage-guest.js';
import type { PodiumStageGuest } from '../components/podium-stage-guest.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { HlsPlayer } from '../player/hls-player.js';
import { webRtcAvailable, WebRtcReceiver, type ReceiveStats } from '../player/webrtc-receiver.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';

export type PlaybackMode = 'none' | 'connecting' | 'webrtc' | 'hls';

/** Captions a page keeps: HLS plays up to about a minute behind live. */
const KEPT_CAPTIONS = 100;
/** localStorage keys of the listener's caption and sign-language choices. */
const CAPTIONS_KEY = 'podium.captions';
const SIGN_LANGUAGE_KEY = 'podium.signLanguage';

/** The view of the sign-language interpreter: the program's inset, large over the picture, or beside it. */
export type SignLanguageView = 'inset' | 'large' | 'side';

const SIGN_LANGUAGE_VIEWS: SignLanguageView[] = ['inset', 'large', 'side'];
const CAPTION_SIZE_KEY = 'podium.captionSize';

/**
 * The remote listener's page (/watch). It shows the event's title and
 * description and, while the event is live, plays the venue over WebRTC. When
 * no WebRTC connection comes up in time it plays the HLS restream instead.
 * Before the start and after the end it shows a notice instead of video, and
 * for an event with an access code a form for the code until it is entered.
 * In an event with a lobby it waits, without media, until staff admit it.
 * Below the picture listeners ask, upvote and raise their hand; a listener
 * whom staff invite on stage speaks from here (podium-stage-guest).
 */
export class PodiumWatchPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    playbackMode: { state: true },
    needsUnmute: { state: true },
    connected: { state: true },
    questions: { state: true },
    positionMs: { state: true },
    handRaised: { state: true },
    invitation: { state: true },
    captions: { state: true },
    captionsOn: { state: true },
    captionsLarge: { state: true },
    signLanguage: { state: true },
    interpreterShown: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  /** Playback path in use: none, connecting, webrtc or hls. */
  playbackMode: PlaybackMode = 'none';
  needsUnmute = false;
  connected = false;
  /** The event's questions as shown to this listener. */
  questions: PublicQuestion[] = [];
  /** The playback position in the event's stream time (HLS), or null at the live edge. */
  positionMs: number | null = null;
  handRaised = false;
  /** The listener's invitation and place on stage. */
  invitation: StageInvitation = { state: null, muted: false };
  /** The live captions received, oldest first (the newest KEPT_CAPTIONS). */
  captions: Caption[] = [];
  captionsOn = localStorage.getItem(CAPTIONS_KEY) === 'on';
  captionsLarge = localStorage.getItem(CAPTION_SIZE_KEY) === 'large';
  signLanguage: SignLanguageView =
    SIGN_LANGUAGE_VIEWS.find((view) => view === localStorage.getItem(SIGN_LANGUAGE_KEY)) ?? 'inset';
  /** True while the interpreter's own picture plays (large or side by side). */
  interpreterShown = false;

  readonly #signaling = new SignalingClient('watch');
  #receiver: WebRtcReceiver | undefined;
  #hls: HlsPlayer | undefined;
  #waitingForHls = false;
  #positionTimer: number | undefined;
  /** The exchange of a lobby admission ticket for the session cookie, which HLS requests must wait for. */
  #admission: Promise<void> = Promise.resolve();
  /** Set when the signaling connection dropped; the next join starts playback afresh. */
  #rejoining = false;
  /** True while the listener is on stage: the program sound, which carries their voice, is off. */
  #onStage = false;
  /** The receive transport of the stage return while the page plays HLS. */
  #stageReceiver: WebRtcReceiver | undefined;

  static override styles = [
    pageStyles,
    css`
      main {
        max-width: 1280px;
        margin: 0 auto;
        padding: 1rem 1.5rem;
      }
      .stage {
        position: relative;
        aspect-ratio: 16 / 9;
        background: #000;
        border-radius: 8px;
        overflow: hidden;
      }
      video {
        width: 100%;
        height: 100%;
      }
      .notice {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        text-align: center;
        padding: 2rem;
        font-size: 1.5rem;
        background: #111827;
      }
      .unmute {
        position: absolute;
        left: 1rem;
        top: 1rem;
      }
      .controls {
        position: absolute;
        right: 1rem;
        bottom: 3.5rem;
        z-index: 2;
      }
      .locked {
        padding: 1.5rem;
        border-radius: 8px;
        background: #1f2937;
      }
      .pictures {
        position: relative;
        display: grid;
        gap: 0.75rem;
      }
      .pictures[data-sign-language='side'] {
        grid-template-columns: 2fr 1fr;
        align-items: center;
      }
      /*
       * The large interpreter stays inside the picture, in its upper right
       * corner, and ends above the player controls (bottom 3.5rem, about
       * 3.25rem high) and the video's own controls, so it covers neither
       * them nor the header.
       */
      .pictures[data-sign-language='large'] .interpreter {
        position: absolute;
        top: 0.75rem;
        right: 0.75rem;
        width: auto;
        height: calc(100% - 8rem);
        max-width: 45%;
        z-index: 1;
      }
      video.interpreter {
        width: 100%;
        aspect-ratio: 9 / 10;
        object-fit: cover;
        background: #000;
        border-radius: 8px;
      }
      video.interpreter[hidden] {
        display: none;
      }
      .sign-language {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        margin: 0.75rem 0 0;
        border: 1px solid #4b5563;
        border-radius: 6px;
      }
      .sign-language label {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        min-height: 44px;
      }
      .sign-language input {
        width: 1.25rem;
        height: 1.25rem;
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      .options button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 1rem;
      }
      .options button[aria-pressed='true'] {
        background: #fbbf24;
        color: #111827;
      }
      footer {
        display: flex;
        justify-content: center;
        padding: 1rem 1.5rem;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('watch.title');
    this.#signaling.addEventListener('open', (event) => {
      this.connected = true;
      // Podium closed the old connection's WebRTC transport with it, and after a
      // restart of Podium the HLS playlists begin anew: play from the new join.
      if (this.#rejoining) this.#stopPlayback();
      this.#rejoining = false;
      this.#applySnapshot((event as CustomEvent<{ snapshot: EventSnapshot }>).detail.snapshot);
    });
    this.#signaling.addEventListener('close', () => {
      this.connected = false;
      this.#rejoining = true;
    });
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'consumersClosed' && this.playbackMode === 'webrtc') this.#restartWebRtc();
      if (message.type === 'producerReplaced') void this.#onProducerReplaced(message.data.source);
      if (message.type === 'stage') this.invitation = message.data;
      if (message.type === 'caption') this.captions = [...this.captions, message.data].slice(-KEPT_CAPTIONS);
      if (message.type === 'questions') this.questions = message.data.questions;
      if (message.type === 'hand') this.handRaised = message.data.raised;
      if (message.type === 'admitted') this.#admission = this.#redeemAdmission(message.data.ticket);
    });
    this.#signaling.connect();
    this.#positionTimer = window.setInterval(() => this.#updatePosition(), 1000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#positionTimer);
    this.#stopPlayback();
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('watch.title');
  }

  /** Returns every audio track the page receives now, with its source (the program sound, the stage return). */
  receivedAudio(): { source: string; track: MediaStreamTrack }[] {
    const received = [...(this.#receiver?.receivedTracks() ?? []), ...(this.#stageReceiver?.receivedTracks() ?? [])];

    return received.filter(({ track }) => track.kind === 'audio' && track.readyState === 'live');
  }

  /** Bytes received over WebRTC so far (zero on the HLS path). */
  async receiveStats(): Promise<ReceiveStats> {
    return this.#receiver ? this.#receiver.stats() : { audioBytes: 0, videoBytes: 0 };
  }

  get #video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;

    const playable = snapshot.event?.state === 'live' && snapshot.accessGranted && snapshot.lobby !== 'waiting';
    // While Podium rebuilds the room on a new media worker, a WebRTC start would fail and fall back to HLS.
    const roomReady = snapshot.outputs === null || snapshot.outputs.room === 'live';

    if (playable && roomReady && this.playbackMode === 'none') void this.#startPlayback();
    if (!playable && this.playbackMode !== 'none') this.#stopPlayback();
    if (this.#waitingForHls && snapshot.outputs?.hls === 'live') void this.#startHls();
  }

  async #startPlayback(): Promise<void> {
    this.playbackMode = 'connecting';
    await this.updateComplete;
    if (!webRtcAvailable()) {
      this.#fallBackToHls('this browser has no RTCPeerConnection');

      return;
    }

    const receiver = new WebRtcReceiver(this.#signaling);
    const timeoutMs = (this.snapshot?.hlsFallbackSeconds ?? 5) * 1000;

    this.#receiver = receiver;
    try {
      const stream = await receiver.start();

      await receiver.connected(timeoutMs);
      if (this.#receiver !== receiver) return;

      const video = this.#video;

      if (!video) return;
      video.srcObject = stream;
      this.playbackMode = 'webrtc';
      await this.#play(video);
      await this.#showInterpreter();
      // After new transports (a media worker was replaced) a guest on stage sends again.
      if (this.#onStage) await this.renderRoot.querySelector<PodiumStageGuest>('podium-stage-guest')?.republish();
    } catch (error) {
      if (this.#receiver !== receiver) return;
      this.#fallBackToHls((error as Error).message);
    }
  }

  /**
   * Follows a source with a new producer: a voice of the stage return, or
   * the program. On stage the program sound stays off.
   */
  async #onProducerReplaced(source: string): Promise<void> {
    const guest = this.renderRoot.querySelector<PodiumStageGuest>('podium-stage-guest');

    if (await guest?.followSource(source)) return;
    if (source === 'interpreter') {
      await this.#showInterpreter();

      return;
    }
    if (this.#onStage && (source === 'program-audio' || source === 'venue-mic')) return;
    if (this.playbackMode === 'webrtc') await this.#replaceSource(source);
  }

  /**
   * Turns the program sound off for the listener coming on stage, and
   * returns the receiver their return plays through: the page's own, or on
   * the HLS path one for the return alone.
   */
  async #enterStage(): Promise<WebRtcReceiver> {
    const video = this.#video;

    this.#onStage = true;
    if (this.playbackMode === 'webrtc' && this.#receiver) {
      const stream = await this.#receiver.dropKind('audio');

      if (video) {
        video.srcObject = stream;
        await this.#play(video);
      }

      return this.#receiver;
    }
    if (video) video.muted = true;
    if (!this.#stageReceiver) {
      const receiver = new WebRtcReceiver(this.#signaling);

      await receiver.start([]);
      this.#stageReceiver = receiver;
    }

    return this.#stageReceiver;
  }

  /** Turns the program sound on again after the listener left the stage. */
  async #leftStage(): Promise<void> {
    const video = this.#video;

    this.#onStage = false;
    this.#stageReceiver?.close();
    this.#stageReceiver = undefined;
    if (!video) return;
    if (this.playbackMode === 'webrtc' && this.#receiver) {
      video.srcObject = await this.#receiver.replaceSource(['program-audio', 'venue-mic']);
      await this.#play(video);
    } else {
      video.muted = false;
    }
  }

  /**
   * Sets WebRTC up again after Podium closed this page's transports because
   * their media worker died: at once when the room is there, else with the
   * snapshot that reports the rebuilt room live.
   */
  #restartWebRtc(): void {
    // A listener on stage keeps their place on the floor; the new transports carry their voice again (#startPlayback).
    this.#stopPlayback();
    if (this.snapshot) this.#applySnapshot(this.snapshot);
  }

  /** Swaps in the new track of a restarted capture; the page keeps playing without a reload. */
  async #replaceSource(source: string): Promise<void> {
    const receiver = this.#receiver;
    const video = this.#video;

    if (!receiver || !video) return;
    try {
      video.srcObject = await receiver.replaceSource(source);
      await this.#play(video);
    } catch (error) {
      console.warn(`podium: cannot follow the new ${source} stream: ${(error as Error).message}`);
    }
  }

  #fallBackToHls(reason: string): void {
    console.info(`podium: WebRTC unavailable (${reason}); falling back to HLS`);
    this.#receiver?.close();
    this.#receiver = undefined;
    this.playbackMode = 'hls';
    this.#waitingForHls = true;
    if (this.snapshot?.outputs?.hls === 'live') void this.#startHls();
  }

  async #startHls(): Promise<void> {
    const video = this.#video;
    const url = this.snapshot?.hlsUrl;

    if (!video || !url || !this.#waitingForHls) return;
    this.#waitingForHls = false;
    await this.#admission;
    if (this.playbackMode !== 'hls') return;
    video.srcObject = null;
    this.#hls = new HlsPlayer(video);
    this.#hls.start(url, (detail) => console.warn(`podium: HLS playback failed: ${detail}`));
    await this.#play(video);
  }

  /** Plays with sound where the browser allows it, else muted with a button to unmute. */
  async #play(video: HTMLVideoElement): Promise<void> {
    try {
      video.muted = false;
      await video.play();
    } catch (error) {
      if ((error as DOMException).name !== 'NotAllowedError') return;
      video.muted = true;
      this.needsUnmute = true;
      await video.play().catch(() => undefined);
    }
  }

  #stopPlayback(): void {
    this.#receiver?.close();
    this.#receiver = undefined;
    this.#stageReceiver?.close();
    this.#stageReceiver = undefined;
    this.#hls?.close();
    this.#hls = undefined;
    this.#waitingForHls = false;

    const video = this.#video;

    if (video) video.srcObject = null;
    this.playbackMode = 'none';
    this.needsUnmute = false;
  }

  /**
   * The access code set a session cookie, but only a new WebSocket handshake
   * sends it. The new connection's snapshot starts playback.
   */
  #onAccessGranted(): void {
    this.#signaling.reconnect();
  }

  /**
   * Stores the session cookie of a lobby admission, which the HLS stream
   * needs. The connection itself is admitted already, so WebRTC starts with
   * the next snapshot.
   */
  async #redeemAdmission(ticket: string): Promise<void> {
    const eventId = this.snapshot?.event?.id;

    if (!eventId) return;
    try {
      await api.redeemAdmission(eventId, ticket);
    } catch (error) {
      console.warn(`podium: the admission ticket was not accepted: ${(error as Error).message}`);
    }
  }

  /** Returns the wall-clock time (ms) of the picture on screen: now over WebRTC, the playing frame's date on HLS. */
  #pictureTime(): number {
    const playing = this.playbackMode === 'hls' ? this.#hls?.playingDate() : undefined;

    return playing ? playing.getTime() : Date.now();
  }

  /**
   * Plays the interpreter's own picture beside or over the program when the
   * listener chose so (WebRTC only; HLS has the program's inset).
   */
  async #showInterpreter(): Promise<void> {
    const receiver = this.#receiver;
    const video = this.renderRoot.querySelector<HTMLVideoElement>('video.interpreter');
    const wanted = this.signLanguage !== 'inset' && this.playbackMode === 'webrtc' && receiver !== undefined;

    try {
      if (!wanted || !video) {
        this.interpreterShown = false;
        if (video) video.srcObject = null;
        await receiver?.closeExtra(['interpreter']);

        return;
      }

      const [received] = await receiver.consumeExtra(['interpreter']);

      if (!received) return;
      video.srcObject = new MediaStream([received.track]);
      this.interpreterShown = true;
      await video.play().catch(() => undefined);
    } catch (error) {
      console.warn(`podium: the interpreter does not show: ${(error as Error).message}`);
    }
  }

  #chooseSignLanguage(view: SignLanguageView): void {
    this.signLanguage = view;
    localStorage.setItem(SIGN_LANGUAGE_KEY, view);
    void this.#showInterpreter();
  }

  #toggleCaptions(): void {
    this.captionsOn = !this.captionsOn;
    localStorage.setItem(CAPTIONS_KEY, this.captionsOn ? 'on' : 'off');
  }

  #toggleCaptionSize(): void {
    this.captionsLarge = !this.captionsLarge;
    localStorage.setItem(CAPTION_SIZE_KEY, this.captionsLarge ? 'large' : 'normal');
  }

  /** Follows the HLS playback position in stream time, so that questions show when the picture reaches them. */
  #updatePosition(): void {
    const liveSince = this.snapshot?.event?.liveSince;
    const playing = this.#hls?.playingDate();

    this.positionMs = this.playbackMode === 'hls' && liveSince && playing ? playing.getTime() - Date.parse(liveSince) : null;
  }

  #unmute(): void {
    const video = this.#video;

    if (!video) return;
    video.muted = false;
    this.needsUnmute = false;
  }

  #notice(): string | undefined {
    const event = this.snapshot?.event;

    if (!this.snapshot) return t('watch.connecting');
    if (!event) return t('watch.noEvent');
    switch (event.state) {
      case 'ready':
        return `${t('watch.notStarted')} ${t('watch.startsAt', { date: formatDateTime(event.startsAt) })}`;
      case 'starting':
        return t('watch.starting');
      case 'stopping':
      case 'ended':
        return t('watch.ended');
      case 'failed':
        return t('watch.failed');
      case 'live':
        if (this.snapshot.lobby === 'waiting') return t('lobby.waiting');

        return this.playbackMode === 'connecting' || (this.playbackMode === 'hls' && this.#waitingForHls)
          ? t('watch.connecting')
          : undefined;
    }
  }

  #renderStage(notice: string | undefined) {
    const view = this.interpreterShown ? this.signLanguage : 'inset';

    return html`<div class="pictures" data-sign-language=${view}>
      <div class="stage">
      <video playsinline controls aria-label=${t('watch.playerLabel')}></video>
      ${notice ? html`<div class="notice" data-testid="notice">${notice}</div>` : nothing}
      ${this.captionsOn
        ? html`<podium-caption-overlay
            .captions=${this.captions}
            .pictureTime=${() => this.#pictureTime()}
            ?large=${this.captionsLarge}
          ></podium-caption-overlay>`
        : nothing}
      ${this.playbackMode === 'webrtc' || this.playbackMode === 'hls'
        ? html`<podium-player-controls class="controls" .video=${this.#video}></podium-player-controls>`
        : nothing}
      ${this.needsUnmute
        ? html`<button class="unmute" @click=${() => this.#unmute()}>${t('watch.unmute')}</button>`
        : nothing}
      </div>
      <video
        class="interpreter"
        muted
        playsinline
        ?hidden=${!this.interpreterShown}
        aria-label=${t('signLanguage.video')}
        data-testid="interpreter-video"
      ></video>
    </div>`;
  }

  #renderSignLanguage() {
    if (this.playbackMode !== 'webrtc') return nothing;

    return html`<fieldset class="sign-language">
      <legend>${t('signLanguage.label')}</legend>
      ${SIGN_LANGUAGE_VIEWS.map(
        (view) => html`<label>
          <input
            type="radio"
            name="sign-language"
            value=${view}
            data-testid=${`sign-language-${view}`}
            .checked=${this.signLanguage === view}
            @change=${() => this.#chooseSignLanguage(view)}
          />
          ${t(`signLanguage.${view}`)}
        </label>`,
      )}
    </fieldset>`;
  }

  /** The access code form in place of the stage, with the event's state below it. */
  #renderLocked(eventId: string, notice: string | undefined) {
    return html`<div class="locked">
      <podium-access-code-form .eventId=${eventId} @access-granted=${() => this.#onAccessGranted()}></podium-access-code-form>
      ${notice ? html`<p data-testid="notice">${notice}</p>` : nothing}
    </div>`;
  }

  override render() {
    const event = this.snapshot?.event;
    const notice = this.#notice();
    const via = { webrtc: t('watch.viaWebrtc'), hls: t('watch.viaHls'), none: '', connecting: '' }[this.playbackMode];
    const locked = event && this.snapshot?.accessGranted === false;
    const taking = event?.state === 'live' && !locked && this.snapshot?.lobby !== 'waiting';

    return html`
      <header>
        <h1>${event?.title ?? t('app.name')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      ${this.connected ? nothing : html`<p class="banner" role="status">${t('connection.lost')}</p>`}
      <main>
        <!-- A live region announces only changes inside it, so it stays in place while the notice comes and goes. -->
        <p class="visually-hidden" role="status" data-testid="notice-announcement">${notice ?? ''}</p>
        ${locked ? this.#renderLocked(event.id, notice) : this.#renderStage(notice)}
        ${this.#renderSignLanguage()}
        <div class="options">
          <button data-testid="captions-toggle" aria-pressed=${this.captionsOn} @click=${() => this.#toggleCaptions()}>
            ${t('captions.toggle')}
          </button>
          <button
            data-testid="captions-size"
            aria-pressed=${this.captionsLarge}
            ?disabled=${!this.captionsOn}
            @click=${() => this.#toggleCaptionSize()}
          >
            ${t('captions.large')}
          </button>
        </div>
        <p data-testid="playback-mode" data-mode=${this.playbackMode} role="status">${via}</p>
        ${event?.description ? html`<p>${event.description}</p>` : nothing}
        ${taking
          ? html`<podium-stage-guest
                .signaling=${this.#signaling}
                .invitation=${this.invitation}
                .enterStage=${() => this.#enterStage()}
                @stage-left=${() => void this.#leftStage()}
              ></podium-stage-guest>
              <podium-question-form .signaling=${this.#signaling}></podium-question-form>
              <podium-audience-questions
                .signaling=${this.#signaling}
                .questions=${this.questions}
                .positionMs=${this.positionMs}
                .handRaised=${this.handRaised}
                @hand-changed=${(changed: CustomEvent<boolean>) => (this.handRaised = changed.detail)}
              ></podium-audience-questions>`
          : nothing}
      </main>
      <footer>
        <podium-privacy-link></podium-privacy-link>
      </footer>
    `;
  }
}

customElements.define('podium-watch-page', PodiumWatchPage);
