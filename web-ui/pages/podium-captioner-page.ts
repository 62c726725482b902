import { html, css, nothing } from 'lit';
import { MAX_CAPTION_LENGTH, type Caption, type EventSnapshot, type Notification } from '../../appliance/signaling/protocol.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import { errorText } from '../error-text.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { WebRtcReceiver } from '../player/webrtc-receiver.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';
import { presenterStyles } from './presenter-styles.js';

/** Lines the page lists as sent, newest first. */
const LISTED_LINES = 8;

/**
 * The captioner's page (/caption), opened from a captioner invite link. It
 * plays the program with sound over WebRTC (the shortest delay) and sends
 * each typed line as a caption, which watch pages show at once and the HLS
 * subtitle track and the recording keep. Stenography tools use the caption
 * feed instead (its address is on the console's invitation).
 */
export class PodiumCaptionerPage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    sessionRole: { state: true },
    sent: { state: true },
    problem: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  /** The role Podium gave this page's session. Only captioners and staff may send. */
  sessionRole: string | undefined;
  /** The lines sent, newest first. */
  sent: Caption[] = [];
  problem = '';

  readonly #signaling = new SignalingClient('watch');
  #receiver: WebRtcReceiver | undefined;

  static override styles = [
    pageStyles,
    presenterStyles,
    css`
      main {
        max-width: 960px;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      label {
        flex: 1 1 30rem;
        display: grid;
        gap: 0.25rem;
      }
      input {
        font: inherit;
        font-size: 1.3rem;
        min-height: 44px;
        padding: 0.25rem 0.5rem;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      li {
        padding: 0.35rem 0;
        border-bottom: 1px solid #374151;
      }
      small {
        color: #d1d5db;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('captioner.title');
    this.#signaling.addEventListener('open', (event) => {
      const joined = (event as CustomEvent<{ snapshot?: EventSnapshot; role?: string }>).detail;

      this.sessionRole = joined?.role;
      if (joined?.snapshot) this.#applySnapshot(joined.snapshot);
    });
    this.#signaling.addEventListener('notification', (event) => {
      const message = (event as CustomEvent<Notification>).detail;

      if (message.type === 'eventState') this.#applySnapshot(message.data);
      if (message.type === 'consumersClosed') this.#stopProgram();
    });
    this.#signaling.addEventListener('close', () => this.#stopProgram());
    this.#signaling.connect();
  }

  override disconnectedCallback(): void {
    this.#stopProgram();
    this.#signaling.close();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('captioner.title');
  }

  get #live(): boolean {
    return this.snapshot?.event?.state === 'live';
  }

  /** True once Podium joined this page with a role other than captioner or staff, which may not send. */
  get #needsInvite(): boolean {
    return this.sessionRole !== undefined && this.sessionRole !== 'captioner' && this.sessionRole !== 'staff';
  }

  get #mayCaption(): boolean {
    return this.#live && (this.sessionRole === 'captioner' || this.sessionRole === 'staff');
  }

  #applySnapshot(snapshot: EventSnapshot): void {
    this.snapshot = snapshot;
    if (!this.#live) this.#stopProgram();
    else if (!this.#receiver) void this.#startProgram();
  }

  async #startProgram(): Promise<void> {
    const receiver = new WebRtcReceiver(this.#signaling);

    this.#receiver = receiver;
    try {
      const stream = await receiver.start();
      const video = this.renderRoot.querySelector('video');

      if (!video || this.#receiver !== receiver) return;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
    } catch (error) {
      console.warn(`podium: the program does not play here: ${(error as Error).message}`);
    }
  }

  #stopProgram(): void {
    this.#receiver?.close();
    this.#receiver = undefined;

    const video = this.renderRoot.querySelector('video');

    if (video) video.srcObject = null;
  }

  async #send(event: SubmitEvent): Promise<void> {
    event.preventDefault();

    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="caption"]');
    const text = input?.value.trim() ?? '';

    if (!input) return;
    if (!text) {
      input.value = '';
      this.problem = t('captioner.empty');

      return;
    }
    this.problem = '';
    try {
      await this.#signaling.request('sendCaption', { text });
      input.value = '';
      this.sent = [{ id: 0, eventId: '', text, at: new Date().toISOString(), showAt: new Date().toISOString(), streamTimeMs: 0 }, ...this.sent].slice(0, LISTED_LINES);
    } catch (error) {
      this.problem = t('captioner.failed', { reason: errorText(error) });
    }
  }

  override render() {
    const event = this.snapshot?.event;

    return html`
      <header>
        <h1>${event?.title ?? t('captioner.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      <main>
        ${this.#needsInvite
          ? html`<p class="problem" role="alert" data-testid="needs-invite">${t('captioner.needsInvite')}</p>`
          : html`<p role="status" data-testid="captioner-state">${this.#live ? t('captioner.live') : t('captioner.notLive')}</p>`}
        <video controls playsinline aria-label=${t('captioner.program')}></video>
        <form @submit=${(submit: SubmitEvent) => void this.#send(submit)}>
          <label>
            ${t('captioner.input')}
            <input
              name="caption"
              autocomplete="off"
              maxlength=${MAX_CAPTION_LENGTH * 5}
              aria-describedby="caption-hint"
              data-testid="caption-input"
              ?disabled=${!this.#mayCaption}
            />
            <small id="caption-hint">${t('captioner.hint')}</small>
          </label>
          <button type="submit" data-testid="caption-send" ?disabled=${!this.#mayCaption}>${t('captioner.send')}</button>
        </form>
        ${this.problem ? html`<p class="problem" role="alert" data-testid="caption-problem">${this.problem}</p>` : nothing}
        <section aria-labelledby="sent-heading">
          <h2 id="sent-heading">${t('captioner.sent')}</h2>
          ${this.sent.length === 0 ? html`<p>${t('captioner.none')}</p>` : nothing}
          <ol data-testid="caption-sent">
            ${this.sent.map((line) => html`<li><small>${formatShortDateTime(line.at)}</small> ${line.text}</li>`)}
          </ol>
        </section>
      </main>
    `;
  }
}

customElements.define('podium-captioner-page', PodiumCaptionerPage);
