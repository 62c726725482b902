import { html, css, nothing } from 'lit';
import type { EventSnapshot, Notification } from '../../appliance/signaling/protocol.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import { errorText } from '../error-text.js';
import { t } from '../i18n/i18n.js';
import { ContributorLink } from '../player/contributor-link.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';
import { presenterStyles } from './presenter-styles.js';

/** The voices the interpreter hears, straight from the room: the program would add its delay. */
const INTERPRETER_HEARS = ['venue-mic', 'remote-speaker-mic', 'listener-on-stage'];

/**
 * The sign-language interpreter's page (/interpret), opened from an
 * interpreter invite link. It sends the camera as the program's
 * interpreter inset, which no layout covers, and plays the hall and the
 * remote voices one by one over WebRTC, with less delay than the program.
 * The program picture is the one the audience watches.
 */
export class PodiumInterpreterPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    sessionRole: { state: true },
    sending: { state: true },
    busy: { state: true },
    problem: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  /** The role Podium gave this page's session; only interpreters and staff may send. */
  sessionRole: string | undefined;
  sending = false;
  busy = false;
  problem = '';

  readonly #signaling = new SignalingClient('watch');
  #link: ContributorLink | undefined;
  #camera: MediaStreamTrack | undefined;
  /** Set while the camera waits for the rebuilt room, after its transports closed with their media worker. */
  #waitingForRoom = false;

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
    document.title = t('interpreter.title');
    this.#signaling.addEventListener('open', (event) => {
      const joined = (event as CustomEvent<{ snapshot?: EventSnapshot; role?: string }>).detail;

      this.sessionRole = joined?.role;
      if (joined?.snapshot) this.#applySnapshot(joined.snapshot);
    });
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'producerReplaced') void this.#follow(message.data.source);
      if (message.type === 'consumersClosed') this.#onTransportsClosed();
    });
    // A closed connection took its transports along: the camera goes out again on the next one.
    this.#signaling.addEventListener('close', () => this.#onTransportsClosed(false));
    this.#signaling.connect();
  }

  override disconnectedCallback(): void {
    this.#stop();
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('interpreter.title');
  }

  /** Returns every audio track the page receives now, with its source: what the interpreter hears. */
  receivedAudio(): { source: string; track: MediaStreamTrack }[] {
    return this.#link?.receivedAudio() ?? [];
  }

  get #mayInterpret(): boolean {
    return this.snapshot?.event?.state === 'live' && (this.sessionRole === 'interpreter' || this.sessionRole === 'staff');
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;

    const state = snapshot.event?.state;

    // A restored event starts again after a restart of Podium: the kept camera waits for it.
    if (state !== 'live' && !(this.#waitingForRoom && state === 'starting')) this.#stop();
    else if (this.#waitingForRoom && state === 'live' && snapshot.outputs?.room === 'live') void this.#sendAgain();
  }

  /**
   * Podium closed this page's transports because their media worker died.
   * The camera keeps running and goes out again once the rebuilt room is live.
   */
  #onTransportsClosed(connected = true): void {
    if (!this.sending || !this.#link) return;
    this.#link.detach();
    this.#link = undefined;
    this.#waitingForRoom = true;
    this.busy = true;
    // Without a connection the snapshot is stale: the next connection's snapshot sends again.
    if (connected && this.snapshot) this.#applySnapshot(this.snapshot);
  }

  async #sendAgain(): Promise<void> {
    this.#waitingForRoom = false;
    try {
      await this.#start();
    } catch (error) {
      this.problem = t('interpreter.cameraFailed', { reason: errorText(error) });
      this.#stop();
    }
    this.busy = false;
  }

  async #toggle(): Promise<void> {
    if (this.sending) {
      this.#stop();

      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 720 } }, audio: false });

      this.#camera = stream.getVideoTracks()[0];
      await this.#start();
      this.sending = true;
    } catch (error) {
      this.problem = t('interpreter.cameraFailed', { reason: errorText(error) });
      this.#stop();
    }
    this.busy = false;
  }

  async #start(): Promise<void> {
    const camera = this.#camera;
    const container = this.renderRoot.querySelector<HTMLElement>('.returns');

    if (!camera || camera.readyState !== 'live') throw new Error('the camera ended');
    if (!container) throw new Error('the audio container is missing');

    const link = new ContributorLink(this.#signaling, INTERPRETER_HEARS, container);

    this.#link = link;
    this.#show('program', await link.start(new Map([['interpreter', camera]])));
    this.#show('camera', new MediaStream([camera]));
  }

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

  #stop(): void {
    this.#link?.close();
    this.#link = undefined;
    this.#waitingForRoom = false;
    this.#camera?.stop();
    this.#camera = undefined;
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('video')) video.srcObject = null;
    this.sending = false;
  }

  override render() {
    const event = this.snapshot?.event;
    const live = event?.state === 'live';

    return html`
      <header>
        <h1>${event?.title ?? t('interpreter.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      <main>
        ${this.sessionRole !== undefined && this.sessionRole !== 'interpreter' && this.sessionRole !== 'staff'
          ? html`<p class="problem" role="alert" data-testid="needs-invite">${t('interpreter.needsInvite')}</p>`
          : html`<p role="status" data-testid="interpreter-state">${live ? t('interpreter.live') : t('interpreter.notLive')}</p>`}
        <div class="controls">
          <button
            data-testid="interpreter-camera"
            aria-pressed=${this.sending}
            ?disabled=${!this.#mayInterpret || this.busy}
            @click=${() => this.#toggle()}
          >
            ${this.sending ? t('interpreter.stopCamera') : t('interpreter.startCamera')}
          </button>
        </div>
        ${this.sending ? html`<p role="status" data-testid="interpreter-hearing">${t('interpreter.hearing')}</p>` : nothing}
        ${this.problem ? html`<p class="problem" role="alert" data-testid="interpreter-problem">${this.problem}</p>` : nothing}
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
        <div class="returns" aria-hidden="true"></div>
      </main>
    `;
  }
}

customElements.define('podium-interpreter-page', PodiumInterpreterPage);
