import { html, css, nothing } from 'lit';
import type { EventSnapshot, FloorGuest, Notification } from '../../appliance/signaling/protocol.js';
import { LocalizedElement } from '../components/localized-element.js';
import { t } from '../i18n/i18n.js';
import { VoiceReturn } from '../player/voice-return.js';
import { WebRtcReceiver } from '../player/webrtc-receiver.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';

/**
 * The voices the hall's PA plays: the remote speaker and the listener on
 * stage. The hall microphone is not among them, since the hall hears
 * itself (and the PA would feed it back).
 */
const PA_VOICES = ['remote-speaker-mic', 'listener-on-stage'];

/** Returns the pictures the screen may show for what the program has on air, first choice first. */
function picturesFor(snapshot: EventSnapshot | undefined): string[] {
  const program = snapshot?.program;

  if (!program) return [];

  const remote = program.available.includes('remote-speaker');
  const slides = program.available.includes('slides');

  if (program.onAir === 'remote-speaker' || (remote && !slides)) return ['remote-speaker', 'listener-camera'];
  if (slides) return ['lectern-screen'];

  return [];
}

/**
 * The venue screen (/stage), full screen on the projector from the
 * appliance's kiosk browser. It shows the presentation or the remote
 * person, the question staff put on the venue screen, who is on stage, and
 * a tally while recording. It plays the remote voices to the hall's PA,
 * and never the hall microphone. Staff only: the kiosk gets a session.
 */
export class PodiumVenueScreenPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    guest: { state: true },
    picture: { state: true },
    soundBlocked: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  guest: FloorGuest | null = null;
  /** The source shown now, or '' for the slate with the event's title. */
  picture = '';
  soundBlocked = false;

  readonly #signaling = new SignalingClient('stage');
  #receiver: WebRtcReceiver | undefined;
  #return: VoiceReturn | undefined;
  /** Serialises the receiver's setup and picture changes. */
  #queue: Promise<void> = Promise.resolve();

  static override styles = [
    pageStyles,
    css`
      :host {
        display: block;
        position: fixed;
        inset: 0;
        background: #000;
        color: #fff;
        overflow: hidden;
      }
      video {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .slate {
        position: absolute;
        inset: 0;
        display: grid;
        place-content: center;
        text-align: center;
        padding: 5vw;
        font-size: 3vw;
      }
      .slate h1 {
        font-size: 5vw;
        margin: 0 0 2vw;
      }
      .tally {
        position: absolute;
        top: 2vw;
        right: 2vw;
        padding: 0.6vw 1.4vw;
        border-radius: 0.6vw;
        background: #b91c1c;
        font-size: 2vw;
        font-weight: bold;
      }
      .guest {
        position: absolute;
        top: 2vw;
        left: 2vw;
        padding: 0.6vw 1.4vw;
        border-radius: 0.6vw;
        background: rgb(17 24 39 / 85%);
        font-size: 2vw;
      }
      .question {
        position: absolute;
        left: 4vw;
        right: 4vw;
        bottom: 3vw;
        padding: 1.5vw 2vw;
        border-left: 0.8vw solid #fbbf24;
        background: rgb(17 24 39 / 90%);
        font-size: 2.6vw;
      }
      .question h2 {
        font-size: 1.6vw;
        margin: 0 0 0.6vw;
        color: #fde68a;
      }
      .sound {
        position: absolute;
        bottom: 2vw;
        right: 2vw;
        min-height: 44px;
        font-size: 1.5vw;
      }
      .returns {
        display: none;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('venue.title');
    this.#signaling.addEventListener('open', (event) => {
      this.#applySnapshot((event as CustomEvent<{ snapshot: EventSnapshot }>).detail.snapshot);
    });
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'floor') this.guest = message.data.guest;
      if (message.type === 'producerReplaced') this.#run(() => this.#follow(message.data.source));
      if (message.type === 'consumersClosed') this.#run(async () => this.#stop());
    });
    this.#signaling.addEventListener('close', () => this.#run(async () => this.#stop()));
    this.#signaling.connect();
  }

  override disconnectedCallback(): void {
    this.#run(async () => this.#stop());
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('venue.title');
  }

  /** Returns every audio track the screen receives now, with its source: what it plays to the PA. */
  receivedAudio(): { source: string; track: MediaStreamTrack }[] {
    return (this.#receiver?.receivedTracks() ?? []).filter(({ track }) => track.kind === 'audio' && track.readyState === 'live');
  }

  #run(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch((error: unknown) => {
      console.warn(`podium: the venue screen could not update: ${(error as Error).message}`);
    });
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.event?.state !== 'live') {
      this.#run(async () => this.#stop());

      return;
    }
    this.#run(async () => {
      await this.#ensureReceiver();
      await this.#showPicture();
    });
  }

  async #ensureReceiver(): Promise<void> {
    if (this.#receiver) return;

    const receiver = new WebRtcReceiver(this.#signaling);

    await receiver.start([]);
    this.#receiver = receiver;

    const container = this.renderRoot.querySelector<HTMLElement>('.returns');

    if (!container) throw new Error('the return container is missing');
    this.#return = new VoiceReturn(receiver, PA_VOICES, container);
    await this.#return.start();
    this.soundBlocked = this.#return.blocked;
  }

  /** Shows the first candidate picture the room has, or the slate. */
  async #showPicture(force = false): Promise<void> {
    const receiver = this.#receiver;

    if (!receiver) return;

    const candidates = picturesFor(this.snapshot);

    if (!force && candidates.includes(this.picture)) return;

    for (const source of candidates) {
      const stream = await receiver.replaceSource(source);
      const playing = receiver.receivedTracks().find((received) => received.track.kind === 'video' && received.track.readyState === 'live');

      if (playing?.source === source) {
        this.#play(stream);
        this.picture = source;

        return;
      }
    }
    if (this.picture) await receiver.dropKind('video');
    this.picture = '';

    const video = this.renderRoot.querySelector('video');

    if (video) video.srcObject = null;
  }

  async #follow(source: string): Promise<void> {
    if (PA_VOICES.includes(source)) {
      await this.#return?.follow(source);
      this.soundBlocked = this.#return?.blocked ?? false;
    } else if (picturesFor(this.snapshot).includes(source)) {
      await this.#showPicture(true);
    }
  }

  #play(stream: MediaStream): void {
    const video = this.renderRoot.querySelector('video');

    if (!video) return;
    video.srcObject = new MediaStream(stream.getVideoTracks());
    void video.play().catch(() => undefined);
  }

  async #stop(): Promise<void> {
    const voiceReturn = this.#return;

    this.#return = undefined;
    await voiceReturn?.close().catch(() => undefined);
    this.#receiver?.close();
    this.#receiver = undefined;
    this.picture = '';

    const video = this.renderRoot.querySelector('video');

    if (video) video.srcObject = null;
  }

  async #enableSound(): Promise<void> {
    await this.#return?.resume();
    this.soundBlocked = this.#return?.blocked ?? false;
  }

  override render() {
    const event = this.snapshot?.event;
    const live = event?.state === 'live';
    const question = live ? this.snapshot?.stageQuestion : null;
    const recording = Boolean(this.snapshot?.recording?.current);
    const guest = this.guest?.state === 'on-stage' ? this.guest : null;

    return html`
      <video muted autoplay playsinline aria-label=${t('venue.picture')} data-testid="venue-picture" data-source=${this.picture}></video>
      ${this.picture
        ? nothing
        : html`<div class="slate" data-testid="venue-slate">
            <h1>${event?.title ?? t('app.name')}</h1>
            ${live ? nothing : html`<p>${t('venue.notLive')}</p>`}
          </div>`}
      ${recording ? html`<div class="tally" role="status" data-testid="venue-tally">● ${t('venue.recording')}</div>` : nothing}
      ${guest
        ? html`<div class="guest" data-testid="venue-guest">${t('venue.guest', { name: guest.name ?? t('question.anonymous') })}</div>`
        : nothing}
      ${question
        ? html`<section class="question" aria-live="polite" data-testid="venue-question">
            <h2>${t('venue.question')}</h2>
            ${question.text}${question.author ? html` <small>– ${question.author}</small>` : nothing}
          </section>`
        : nothing}
      ${this.soundBlocked
        ? html`<button class="sound" data-testid="venue-sound" @click=${() => void this.#enableSound()}>${t('venue.enableSound')}</button>`
        : nothing}
      <div class="returns" aria-hidden="true"></div>
    `;
  }
}

customElements.define('podium-venue-screen-page', PodiumVenueScreenPage);
