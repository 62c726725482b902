import { html, css, nothing } from 'lit';
import type { EventSnapshot, Notification } from '../../appliance/signaling/protocol.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import { errorText } from '../error-text.js';
import { t } from '../i18n/i18n.js';
import { ContributorLink } from '../player/contributor-link.js';
import type { PublishedSource } from '../player/webrtc-publisher.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';
import { presenterStyles } from './presenter-styles.js';

/** The voices a remote speaker hears: the hall and the listener on stage, never their own. */
const SPEAKER_RETURN = ['venue-mic', 'listener-on-stage'];
/** Slides change seldom: a low frame rate leaves the bitrate to sharp text. */
const SCREEN_FRAME_RATE = 10;

/**
 * The remote speaker's page (/speak), opened from a speaker invite link.
 * It sends the camera and microphone (the Remote-Redner layout and the
 * venue screen show them), shares the screen as the program's slides, and
 * plays the return: the hall and the listener on stage, without the
 * speaker's own voice. It shows the program picture and the question staff
 * put on the venue screen.
 */
export class PodiumSpeakerPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    sessionRole: { state: true },
    sending: { state: true },
    sharing: { state: true },
    busy: { state: true },
    problem: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  /** The role Podium gave this page's session; only speakers and staff may present. */
  sessionRole: string | undefined;
  sending = false;
  sharing = false;
  busy = false;
  /** The last error to show, already translated. */
  problem = '';

  readonly #signaling = new SignalingClient('watch');
  #link: ContributorLink | undefined;
  /** Tracks to send again once the rebuilt room is live, after their transports closed with their media worker. */
  #detached: Map<PublishedSource, MediaStreamTrack> | undefined;

  static override styles = [
    pageStyles,
    presenterStyles,
    css`
      main {
        max-width: 1100px;
      }
      .pictures {
        display: grid;
        grid-template-columns: 2fr 1fr;
        gap: 0.75rem;
      }
      figure {
        margin: 0;
      }
      .returns {
        display: none;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('speaker.title');
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'producerReplaced') void this.#follow(message.data.source);
      if (message.type === 'consumersClosed') this.#onTransportsClosed();
    });
    this.#signaling.addEventListener('open', (event) => {
      const joined = (event as CustomEvent<{ snapshot?: EventSnapshot; role?: string }>).detail;

      this.sessionRole = joined?.role;
      if (joined?.snapshot) this.#applySnapshot(joined.snapshot);
    });
    // A closed connection took its transports along (Podium restarted, the network dropped): camera and
    // microphone keep running and go out again once the new connection finds the room live.
    this.#signaling.addEventListener('close', () => this.#onTransportsClosed(false));
    this.#signaling.connect();
  }

  override disconnectedCallback(): void {
    this.#stopAll();
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('speaker.title');
  }

  /** Returns every audio track the page receives now, with its source: the return. */
  receivedAudio(): { source: string; track: MediaStreamTrack }[] {
    return this.#link?.receivedAudio() ?? [];
  }

  get #live(): boolean {
    return this.snapshot?.event?.state === 'live';
  }

  /** True while the event is live and this page's session may publish into it. */
  get #mayPresent(): boolean {
    return this.#live && (this.sessionRole === 'speaker' || this.sessionRole === 'staff');
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;
    // A restored event starts again after a restart of Podium: the kept tracks wait for it.
    if (!this.#live && !(this.#detached && snapshot.event?.state === 'starting')) this.#stopAll();
    else if (this.#detached && this.#live && snapshot.outputs?.room === 'live') void this.#sendAgain();
  }

  /**
   * The page's transports closed: their media worker died, or the signaling
   * connection dropped. Camera, microphone and shared screen keep running
   * and go out again once the room is live for the page.
   */
  #onTransportsClosed(connected = true): void {
    const link = this.#link;

    // Tracks kept from an earlier close wait for the room; a failed reconnect attempt changes nothing.
    if (this.#detached) return;
    this.#link = undefined;
    if (!this.sending || !link) {
      link?.close();
      this.#stopAll();

      return;
    }

    const tracks = link.detach();

    this.#stopAll();
    this.#detached = tracks;
    this.busy = true;
    // Without a connection the snapshot is stale: the next connection's snapshot sends again.
    if (connected && this.snapshot) this.#applySnapshot(this.snapshot);
  }

  async #sendAgain(): Promise<void> {
    const tracks = this.#detached ?? new Map<PublishedSource, MediaStreamTrack>();
    const camera = tracks.get('remote-speaker');
    const microphone = tracks.get('remote-speaker-mic');
    const screen = tracks.get('lectern-screen');

    this.#detached = undefined;
    try {
      if (!camera || !microphone) throw new Error('the camera or the microphone ended');
      await this.#startSending(new MediaStream([camera, microphone]));
      this.sending = true;
      if (screen) {
        await this.#link?.publish('lectern-screen', screen);
        this.sharing = this.#link?.isPublishing('lectern-screen') ?? false;
      }
    } catch (error) {
      for (const track of tracks.values()) track.stop();
      this.problem = t('speaker.mediaFailed', { reason: errorText(error) });
      this.#stopAll();
    }
    this.busy = false;
  }

  async #toggleMedia(): Promise<void> {
    if (this.sending) {
      this.#stopAll();

      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      });

      await this.#startSending(stream);
      this.sending = true;
    } catch (error) {
      this.problem = t('speaker.mediaFailed', { reason: errorText(error) });
      this.#stopAll();
    }
    this.busy = false;
  }

  /** Opens the transports, publishes camera and microphone, and starts the program picture and the return. */
  async #startSending(stream: MediaStream): Promise<void> {
    const [camera] = stream.getVideoTracks();
    const [microphone] = stream.getAudioTracks();
    const container = this.renderRoot.querySelector<HTMLElement>('.returns');

    if (!camera || !microphone) throw new Error('the browser gave no camera or no microphone track');
    if (!container) throw new Error('the return container is missing');

    const link = new ContributorLink(this.#signaling, SPEAKER_RETURN, container);

    this.#link = link;
    this.#show('program', await link.start(new Map<PublishedSource, MediaStreamTrack>([['remote-speaker', camera], ['remote-speaker-mic', microphone]])));
    this.#show('camera', new MediaStream([camera]));
  }

  async #toggleScreen(): Promise<void> {
    const publisher = this.#link;

    if (!publisher) return;
    this.problem = '';
    try {
      if (publisher.isPublishing('lectern-screen')) {
        await publisher.stop('lectern-screen');
      } else {
        const stream = await navigator.mediaDevices.getDisplayMedia({
          video: { frameRate: SCREEN_FRAME_RATE, width: { ideal: 1920 }, height: { ideal: 1080 } },
          audio: false,
        });
        const [track] = stream.getVideoTracks();

        if (!track) throw new Error('no video track');
        track.contentHint = 'detail';
        await publisher.publish('lectern-screen', track);
        track.addEventListener('ended', () => (this.sharing = publisher.isPublishing('lectern-screen')));
      }
    } catch (error) {
      this.problem = t('lectern.screenFailed', { reason: errorText(error) });
    }
    this.sharing = publisher.isPublishing('lectern-screen');
  }

  /** Follows a new producer: a voice of the return, or the program picture. */
  async #follow(source: string): Promise<void> {
    try {
      const program = await this.#link?.follow(source);

      if (program) this.#show('program', program);
    } catch (error) {
      console.warn(`podium: cannot follow the new ${source} stream: ${(error as Error).message}`);
    }
  }

  #show(which: 'camera' | 'program', stream: MediaStream): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>(`video[data-picture="${which}"]`);

    if (!video) return;
    video.srcObject = new MediaStream(stream.getVideoTracks());
    void video.play().catch(() => undefined);
  }

  #stopAll(): void {
    if (this.#detached) {
      for (const track of this.#detached.values()) track.stop();
      this.#detached = undefined;
      this.busy = false;
    }
    this.#link?.close();
    this.#link = undefined;
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('video')) video.srcObject = null;
    this.sending = false;
    this.sharing = false;
  }

  override render() {
    const event = this.snapshot?.event;
    const question = this.snapshot?.stageQuestion;

    return html`
      <header>
        <h1>${event?.title ?? t('speaker.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      <main>
        ${this.sessionRole !== undefined && this.sessionRole !== 'speaker' && this.sessionRole !== 'staff'
          ? html`<p class="problem" role="alert" data-testid="needs-invite">${t('presenter.needsInvite')}</p>`
          : nothing}
        <p role="status" data-testid="speaker-state">${this.#live ? t('speaker.live') : t('speaker.notLive')}</p>
        <div class="controls">
          <button
            data-testid="speaker-media"
            aria-pressed=${this.sending}
            ?disabled=${!this.#mayPresent || this.busy}
            @click=${() => this.#toggleMedia()}
          >
            ${this.sending ? t('speaker.stopMedia') : t('speaker.startMedia')}
          </button>
          <button data-testid="speaker-screen" aria-pressed=${this.sharing} ?disabled=${!this.sending} @click=${() => this.#toggleScreen()}>
            ${this.sharing ? t('lectern.stopScreen') : t('lectern.shareScreen')}
          </button>
        </div>
        ${this.sending ? html`<p role="status" data-testid="speaker-hearing">${t('speaker.hearing')}</p>` : nothing}
        ${this.problem ? html`<p class="problem" role="alert" data-testid="speaker-problem">${this.problem}</p>` : nothing}
        <div class="pictures">
          <figure>
            <video data-picture="program" muted autoplay playsinline aria-label=${t('speaker.program')}></video>
            <figcaption>${t('speaker.program')}</figcaption>
          </figure>
          <figure>
            <video data-picture="camera" muted autoplay playsinline aria-label=${t('speaker.cameraPreview')}></video>
            <figcaption>${t('speaker.cameraPreview')}</figcaption>
          </figure>
        </div>
        <section aria-labelledby="question-heading" aria-live="polite">
          <h2 id="question-heading">${t('lectern.question')}</h2>
          ${question
            ? html`<p class="question" data-testid="speaker-question">
                ${question.text}${question.author ? html` <small>– ${question.author}</small>` : nothing}
              </p>`
            : html`<p>${t('lectern.noQuestion')}</p>`}
        </section>
        <div class="returns" aria-hidden="true"></div>
      </main>
    `;
  }
}

customElements.define('podium-speaker-page', PodiumSpeakerPage);
