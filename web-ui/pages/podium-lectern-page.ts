import { html, css, nothing } from 'lit';
import type { EventSnapshot, Notification } from '../../appliance/signaling/protocol.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import { errorText } from '../error-text.js';
import { formatElapsed } from '../format-duration.js';
import { t } from '../i18n/i18n.js';
import { WebRtcPublisher, type PublishedSource } from '../player/webrtc-publisher.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';
import { presenterStyles } from './presenter-styles.js';

/** Slides change seldom: a low frame rate leaves the bitrate to sharp text. */
const SCREEN_FRAME_RATE = 10;

/**
 * The lectern page (/present) for the speaker in the hall, opened on the
 * lectern laptop with a speaker invite. It shares the screen (or a window) as
 * the program's slides and the laptop camera as the speaker's picture. It
 * also shows the question staff put on the venue screen and a talk timer.
 */
export class PodiumLecternPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    sessionRole: { state: true },
    sharing: { state: true },
    camera: { state: true },
    problem: { state: true },
    talkStartedAt: { state: true },
    now: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  /** The role Podium gave this page's session; only speakers and staff may present. */
  sessionRole: string | undefined;
  sharing = false;
  camera = false;
  /** The last error to show, already translated. */
  problem = '';
  talkStartedAt: number | null = null;
  now = Date.now();

  readonly #signaling = new SignalingClient('watch');
  readonly #publisher = new WebRtcPublisher(this.#signaling);
  #clock: number | undefined;
  /** Tracks to publish again once the rebuilt room is live, after their transport closed with its media worker. */
  #detached: Map<PublishedSource, MediaStreamTrack> | undefined;

  static override styles = [
    pageStyles,
    presenterStyles,
    css`
      main {
        max-width: 960px;
      }
      .previews {
        display: grid;
        grid-template-columns: 2fr 1fr;
        gap: 0.75rem;
      }
      .timer {
        font-size: 2.5rem;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('lectern.title');
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'consumersClosed') this.#onTransportsClosed();
    });
    this.#signaling.addEventListener('open', (event) => {
      const joined = (event as CustomEvent<{ snapshot?: EventSnapshot; role?: string }>).detail;

      this.sessionRole = joined?.role;
      if (joined?.snapshot) this.#applySnapshot(joined.snapshot);
    });
    this.#signaling.connect();
    this.#clock = window.setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#clock);
    this.#publisher.close();
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('lectern.title');
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.event?.state !== 'live') {
      if (this.#publisher.started) this.#publisher.close();
      for (const track of this.#detached?.values() ?? []) track.stop();
      this.#detached = undefined;
      this.sharing = false;
      this.camera = false;

      return;
    }
    if (this.#detached && snapshot.outputs?.room === 'live') void this.#publishAgain();
  }

  /**
   * Podium closed this page's transports because their media worker died.
   * The shared screen and camera keep running and go out again once the
   * rebuilt room is live.
   */
  #onTransportsClosed(): void {
    if (!this.#publisher.started) return;
    this.#detached = this.#publisher.detach();
    if (this.snapshot) this.#applySnapshot(this.snapshot);
  }

  async #publishAgain(): Promise<void> {
    const tracks = this.#detached ?? new Map<PublishedSource, MediaStreamTrack>();

    this.#detached = undefined;
    try {
      await this.#ensurePublisher();
      for (const [source, track] of tracks) {
        if (track.readyState === 'live') await this.#publisher.publish(source, track);
      }
    } catch (error) {
      for (const track of tracks.values()) track.stop();
      this.problem = t('lectern.republishFailed', { reason: errorText(error) });
    }
    this.#sync();
  }

  get #live(): boolean {
    return this.snapshot?.event?.state === 'live';
  }

  /** True while the event is live and this page's session may publish into it. */
  get #mayPresent(): boolean {
    return this.#live && (this.sessionRole === 'speaker' || this.sessionRole === 'staff');
  }

  /** Opens the send transport on first use: the room exists only while the event is live. */
  async #ensurePublisher(): Promise<void> {
    if (!this.#publisher.started) await this.#publisher.start();
  }

  async #toggleScreen(): Promise<void> {
    await this.#toggle('lectern-screen', () =>
      navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: SCREEN_FRAME_RATE, width: { ideal: 1920 }, height: { ideal: 1080 } },
        audio: false,
      }),
    );
  }

  async #toggleCamera(): Promise<void> {
    await this.#toggle('lectern-camera', () =>
      navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 360 } }, audio: false }),
    );
  }

  async #toggle(source: PublishedSource, open: () => Promise<MediaStream>): Promise<void> {
    this.problem = '';
    const preview = this.renderRoot.querySelector<HTMLVideoElement>(`video[data-source="${source}"]`);

    try {
      if (this.#publisher.isPublishing(source)) {
        await this.#publisher.stop(source);
        if (preview) preview.srcObject = null;
      } else {
        const stream = await open();
        const track = stream.getVideoTracks()[0];

        if (!track) throw new Error('no video track');
        if (source === 'lectern-screen') track.contentHint = 'detail';
        await this.#ensurePublisher();
        await this.#publisher.publish(source, track);
        track.addEventListener('ended', () => this.#sync());
        if (preview) preview.srcObject = new MediaStream([track]);
      }
    } catch (error) {
      this.problem = t(source === 'lectern-screen' ? 'lectern.screenFailed' : 'lectern.cameraFailed', {
        reason: errorText(error),
      });
    }
    this.#sync();
  }

  #sync(): void {
    this.sharing = this.#publisher.isPublishing('lectern-screen');
    this.camera = this.#publisher.isPublishing('lectern-camera');
  }

  #toggleTimer(): void {
    this.talkStartedAt = this.talkStartedAt === null ? Date.now() : null;
  }

  override render() {
    const event = this.snapshot?.event;
    const question = this.snapshot?.stageQuestion;
    const elapsed = this.talkStartedAt === null ? 0 : Math.max(0, this.now - this.talkStartedAt);

    return html`
      <header>
        <h1>${event?.title ?? t('lectern.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      <main>
        ${this.sessionRole !== undefined && this.sessionRole !== 'speaker' && this.sessionRole !== 'staff'
          ? html`<p class="problem" role="alert" data-testid="needs-invite">${t('presenter.needsInvite')}</p>`
          : nothing}
        <p role="status" data-testid="lectern-state">${this.#live ? t('lectern.live') : t('lectern.notLive')}</p>
        <div class="controls">
          <button data-testid="share-screen" aria-pressed=${this.sharing} ?disabled=${!this.#mayPresent} @click=${() => this.#toggleScreen()}>
            ${this.sharing ? t('lectern.stopScreen') : t('lectern.shareScreen')}
          </button>
          <button data-testid="share-camera" aria-pressed=${this.camera} ?disabled=${!this.#mayPresent} @click=${() => this.#toggleCamera()}>
            ${this.camera ? t('lectern.stopCamera') : t('lectern.startCamera')}
          </button>
        </div>
        ${this.problem ? html`<p class="problem" role="alert" data-testid="lectern-problem">${this.problem}</p>` : nothing}
        <div class="previews">
          <video data-source="lectern-screen" muted autoplay playsinline aria-label=${t('lectern.screenPreview')}></video>
          <video data-source="lectern-camera" muted autoplay playsinline aria-label=${t('lectern.cameraPreview')}></video>
        </div>
        <section aria-labelledby="timer-heading">
          <h2 id="timer-heading">${t('lectern.timer')}</h2>
          <div class="timer" role="timer" data-testid="talk-timer">${formatElapsed(elapsed)}</div>
          <button data-testid="timer-toggle" @click=${() => this.#toggleTimer()}>
            ${this.talkStartedAt === null ? t('lectern.timerStart') : t('lectern.timerReset')}
          </button>
        </section>
        <section aria-labelledby="question-heading" aria-live="polite">
          <h2 id="question-heading">${t('lectern.question')}</h2>
          ${question
            ? html`<p class="question" data-testid="lectern-question">
                ${question.text}${question.author ? html` <small>– ${question.author}</small>` : nothing}
              </p>`
            : html`<p>${t('lectern.noQuestion')}</p>`}
        </section>
      </main>
    `;
  }
}

customElements.define('podium-lectern-page', PodiumLecternPage);
