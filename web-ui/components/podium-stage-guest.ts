import { html, css, nothing } from 'lit';
import type { StageInvitation } from '../../appliance/signaling/protocol.js';
import { errorText } from '../error-text.js';
import { t } from '../i18n/i18n.js';
import { VoiceReturn } from '../player/voice-return.js';
import { WebRtcPublisher } from '../player/webrtc-publisher.js';
import { webRtcAvailable, type WebRtcReceiver } from '../player/webrtc-receiver.js';
import type { SignalingClient } from '../signaling-client.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

/** The voices a listener on stage hears: the hall and the remote speaker, never their own. */
const GUEST_RETURN = ['venue-mic', 'remote-speaker-mic'];

/**
 * The watch page's part of taking the floor. When staff invite the
 * listener, it requests consent (with a choice to show the camera too);
 * after consent it publishes the microphone and camera and plays the
 * return. It leaves the stage when the listener or staff end it.
 *
 * The page gives it the receiver (enterStage, which also silences the
 * program sound, since it carries the guest's own voice) and gets
 * "stage-left" when it may play the program sound again.
 */
export class PodiumStageGuest extends LocalizedElement {
  static override properties = {
    signaling: { attribute: false },
    invitation: { attribute: false },
    enterStage: { attribute: false },
    withCamera: { state: true },
    busy: { state: true },
    problem: { state: true },
  };

  signaling: SignalingClient | undefined;
  invitation: StageInvitation = { state: null, muted: false };
  /** Supplied by the page: silences the program sound and returns the receiver the return plays through. */
  enterStage: (() => Promise<WebRtcReceiver>) | undefined;
  withCamera = false;
  busy = false;
  problem = '';

  #publisher: WebRtcPublisher | undefined;
  #publisherReceiver: WebRtcReceiver | undefined;
  #return: VoiceReturn | undefined;
  #tracks: MediaStreamTrack[] = [];
  #entered = false;

  static override styles = [
    focusStyles,
    css`
      :host {
        display: block;
      }
      section {
        margin: 1rem 0;
        padding: 1rem 1.25rem;
        border-radius: 8px;
        border: 2px solid #fbbf24;
        background: #1f2937;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 0.75rem;
      }
      button,
      label {
        font: inherit;
        min-height: 44px;
      }
      button {
        min-width: 44px;
        padding: 0 1rem;
        cursor: pointer;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
      }
      input {
        width: 1.5rem;
        height: 1.5rem;
      }
      .problem {
        color: #fff;
        background: #7f1d1d;
        padding: 0.5rem 0.75rem;
        border-radius: 6px;
      }
      .returns {
        display: none;
      }
    `,
  ];

  /** The element that had focus when the invitation opened, which gets it back when the dialog closes. */
  #focusBefore: HTMLElement | undefined;

  override disconnectedCallback(): void {
    void this.#leaveLocally();
    super.disconnectedCallback();
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('invitation')) return;
    if (this.invitation.state !== 'on-stage' && this.#entered) void this.#leaveLocally();
    if (this.invitation.state === 'invited') {
      this.#focusBefore ??= focusedElement(this.getRootNode() as Document | ShadowRoot);
      this.renderRoot.querySelector<HTMLElement>('[data-testid="stage-accept"]')?.focus();
    } else if (this.#focusBefore) {
      // The dialog closed (declined, withdrawn or accepted): focus goes back where it was, as after any dialog.
      const before = this.#focusBefore;

      this.#focusBefore = undefined;
      if (before.isConnected) before.focus();
    }
  }

  /** Plays a voice of the return that came into the room after the guest did. */
  async followSource(source: string): Promise<boolean> {
    if (!this.#return || !GUEST_RETURN.includes(source)) return false;
    await this.#return.follow(source);

    return true;
  }

  /**
   * Sends the guest's microphone and camera again, and restarts the return,
   * after the page set up its transports anew (Podium replaced a media
   * worker that died). The floor kept the guest's place meanwhile.
   */
  async republish(): Promise<void> {
    const live = this.#tracks.filter((track) => track.readyState === 'live');

    if (!this.#entered || this.invitation.state !== 'on-stage' || !this.signaling || live.length === 0) return;

    const previous = this.#return;

    this.#return = undefined;
    await previous?.close().catch(() => undefined);
    this.#publisher?.detach();
    this.#publisherReceiver = undefined;
    try {
      await this.#publish(this.signaling, new MediaStream(live));
    } catch (error) {
      this.problem = t('stage.publishFailed', { reason: errorText(error) });
    }
  }

  /** The sources of the return playing now. */
  get returnSources(): string[] {
    return this.#return?.playing ?? [];
  }

  async #accept(): Promise<void> {
    const signaling = this.signaling;

    if (!signaling || !this.enterStage) return;
    this.busy = true;
    this.problem = '';
    if (!webRtcAvailable()) {
      this.problem = t('stage.noWebRtc');
      this.busy = false;
      await signaling.request('answerStageInvite', { accept: false }).catch(() => undefined);

      return;
    }

    let stream: MediaStream;

    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
        video: this.withCamera ? { width: { ideal: 640 }, height: { ideal: 360 } } : false,
      });
    } catch (error) {
      this.problem = t('stage.deviceFailed', { reason: errorText(error) });
      this.busy = false;
      await signaling.request('answerStageInvite', { accept: false }).catch(() => undefined);

      return;
    }

    this.#tracks = stream.getTracks();
    try {
      await signaling.request('answerStageInvite', { accept: true });
      await this.#publish(signaling, stream);
    } catch (error) {
      this.problem = t('stage.publishFailed', { reason: errorText(error) });
      await signaling.request('leaveStage', {}).catch(() => undefined);
      await this.#leaveLocally();
    }
    this.busy = false;
  }

  async #publish(signaling: SignalingClient, stream: MediaStream): Promise<void> {
    const receiver = await this.enterStage!();

    this.#entered = true;
    // The page's transports live as long as its receiver, so one publisher serves every turn on stage with it.
    if (this.#publisherReceiver !== receiver) {
      this.#publisher?.close();
      this.#publisher = new WebRtcPublisher(signaling);
      this.#publisherReceiver = receiver;
      await this.#publisher.start({ receiving: true });
    }

    const [microphone] = stream.getAudioTracks();
    const [camera] = stream.getVideoTracks();

    if (!microphone) throw new Error('no microphone track');
    await this.#publisher!.publish('listener-on-stage', microphone);
    if (camera) await this.#publisher!.publish('listener-camera', camera);

    const container = this.renderRoot.querySelector<HTMLElement>('.returns');

    if (!container) throw new Error('the return container is missing');
    this.#return = new VoiceReturn(receiver, GUEST_RETURN, container);
    await this.#return.start();
  }

  async #decline(): Promise<void> {
    await this.signaling?.request('answerStageInvite', { accept: false }).catch(() => undefined);
  }

  async #leave(): Promise<void> {
    await this.signaling?.request('leaveStage', {}).catch(() => undefined);
  }

  /** Ends publishing and the return here; the server has ended the guest's producers already. */
  async #leaveLocally(): Promise<void> {
    const entered = this.#entered;

    this.#entered = false;
    for (const track of this.#tracks) track.stop();
    this.#tracks = [];
    await this.#publisher?.stopAll();

    const voiceReturn = this.#return;

    this.#return = undefined;
    await voiceReturn?.close();
    if (entered) this.dispatchEvent(new CustomEvent('stage-left', { bubbles: true, composed: true }));
  }

  override render() {
    const { state, muted } = this.invitation;

    return html`
      ${state === 'invited' ? this.#renderInvitation() : nothing}
      ${state === 'on-stage'
        ? html`<section aria-labelledby="stage-heading" data-testid="stage-guest">
            <h2 id="stage-heading">${t('stage.onStageHeading')}</h2>
            <p role="status" data-testid="stage-status" data-muted=${muted}>
              ${muted ? t('stage.mutedByStaff') : t('stage.onStage')}
            </p>
            <div class="actions">
              <button data-testid="stage-leave" @click=${() => this.#leave()}>${t('stage.leave')}</button>
            </div>
          </section>`
        : nothing}
      ${this.problem ? html`<p class="problem" role="alert" data-testid="stage-problem">${this.problem}</p>` : nothing}
      <div class="returns" aria-hidden="true"></div>
    `;
  }

  #renderInvitation() {
    return html`<section
      role="alertdialog"
      aria-labelledby="invite-heading"
      aria-describedby="invite-text"
      data-testid="stage-invitation"
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Escape' && !this.busy) void this.#decline();
      }}
    >
      <h2 id="invite-heading">${t('stage.invitedHeading')}</h2>
      <p id="invite-text">${t('stage.invitedText')}</p>
      <label>
        <input
          type="checkbox"
          data-testid="stage-camera"
          .checked=${this.withCamera}
          @change=${(event: Event) => (this.withCamera = (event.target as HTMLInputElement).checked)}
        />
        ${t('stage.withCamera')}
      </label>
      <div class="actions">
        <button data-testid="stage-accept" ?disabled=${this.busy} @click=${() => this.#accept()}>${t('stage.accept')}</button>
        <button data-testid="stage-decline" ?disabled=${this.busy} @click=${() => this.#decline()}>${t('stage.decline')}</button>
      </div>
    </section>`;
  }
}

customElements.define('podium-stage-guest', PodiumStageGuest);

/** Returns the element with focus in a document or shadow root, descending into open shadow roots. */
function focusedElement(root: Document | ShadowRoot): HTMLElement | undefined {
  let element = root.activeElement;

  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;

  return element instanceof HTMLElement ? element : undefined;
}
