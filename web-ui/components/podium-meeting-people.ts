import { html, css, nothing } from 'lit';
import type {
  MeetingParticipant,
  MeetingRequestData,
  MeetingRequestType,
  MeetingSnapshot,
} from '../../appliance/meetings/meeting-protocol.js';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';

/** How long Remove and End wait for the confirming second tap. */
const CONFIRM_MS = 5000;

/** A request for the page to send, the detail of "meeting-request". */
export type MeetingRequestDetail = { [T in MeetingRequestType]: { type: T; data: MeetingRequestData[T] } }[MeetingRequestType];

/**
 * The meeting's participant list with raised hands and microphone states,
 * and for moderators the moderation: mute or remove someone, the lobby with
 * admit and deny, recording, lock and unlock, and ending the meeting for all. Actions
 * dispatch "meeting-request" (detail: MeetingRequestDetail) for the page to send.
 */
export class PodiumMeetingPeople extends LocalizedElement {
  static override properties = {
    /** The last meeting snapshot. */
    snapshot: { attribute: false },
    /** The action waiting for its confirming second tap: "end" or "remove:<peerId>". */
    confirming: { state: true },
  };

  snapshot: MeetingSnapshot | undefined;
  confirming: string | undefined;
  #confirmTimer: number | undefined;

  static override styles = [
    focusStyles,
    listStyles,
    css`
      :host {
        display: block;
      }
      h3 {
        font-size: 1.125rem;
        margin: 1rem 0 0.25rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 0.75rem;
        color: #f9fafb;
        background: #1f2937;
        border: 2px solid #6b7280;
        border-radius: 8px;
        cursor: pointer;
      }
      button.danger {
        background: #7f1d1d;
      }
      .moderation {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 1rem;
      }
    `,
  ];

  override disconnectedCallback(): void {
    window.clearTimeout(this.#confirmTimer);
    super.disconnectedCallback();
  }

  #send(detail: MeetingRequestDetail): void {
    this.dispatchEvent(new CustomEvent('meeting-request', { detail, bubbles: true, composed: true }));
  }

  /** Returns true at the second tap within CONFIRM_MS; the first tap only shows the confirmation. */
  #confirmed(action: string): boolean {
    if (this.confirming === action) {
      this.confirming = undefined;
      window.clearTimeout(this.#confirmTimer);

      return true;
    }
    this.confirming = action;
    window.clearTimeout(this.#confirmTimer);
    this.#confirmTimer = window.setTimeout(() => (this.confirming = undefined), CONFIRM_MS);

    return false;
  }

  #renderParticipant(participant: MeetingParticipant, snapshot: MeetingSnapshot) {
    const self = participant.peerId === snapshot.self.peerId;
    const microphone = participant.producers.find((producer) => producer.source === 'microphone');
    const microphoneOff = !microphone || microphone.paused;
    const camera = participant.producers.find((producer) => producer.source === 'camera');
    const states = [
      participant.moderator ? t('meeting.moderator') : '',
      participant.handRaised ? t('meeting.handRaised') : '',
      microphoneOff ? t('meeting.microphoneMuted') : '',
      !camera || camera.paused ? t('meeting.cameraIsOff') : '',
      participant.producers.some((producer) => producer.source === 'screen') ? t('meeting.sharing') : '',
    ].filter(Boolean);
    const removeAction = `remove:${participant.peerId}`;

    return html`<li data-testid="participant" data-peer-id=${participant.peerId}>
      <span>
        ${participant.handRaised ? html`<span aria-hidden="true">✋ </span>` : nothing}
        ${self ? t('meeting.you', { name: participant.name }) : participant.name}
        ${states.length > 0 ? html`<small>· ${states.join(' · ')}</small>` : nothing}
      </span>
      ${snapshot.self.moderator && !self
        ? html`<span class="actions">
            <button
              data-testid="participant-mute"
              ?disabled=${microphoneOff}
              aria-label=${t('meeting.muteName', { name: participant.name })}
              @click=${() => this.#send({ type: 'muteParticipant', data: { peerId: participant.peerId } })}
            >
              ${t('meeting.mute')}
            </button>
            <button
              class="danger"
              data-testid="participant-remove"
              aria-label=${this.confirming === removeAction ? t('meeting.confirm') : t('meeting.removeName', { name: participant.name })}
              @click=${() => this.#confirmed(removeAction) && this.#send({ type: 'removeParticipant', data: { peerId: participant.peerId } })}
            >
              ${this.confirming === removeAction ? t('meeting.confirm') : t('meeting.remove')}
            </button>
          </span>`
        : nothing}
    </li>`;
  }

  #renderModeration(snapshot: MeetingSnapshot) {
    const locked = snapshot.meeting.locked;

    return html`
      <h3 id="lobby-heading">${t('meeting.lobby')}</h3>
      ${snapshot.lobby.length === 0
        ? html`<p>${t('meeting.lobbyEmpty')}</p>`
        : html`<ul aria-labelledby="lobby-heading">
            ${snapshot.lobby.map(
              (guest) => html`<li data-testid="lobby-guest" data-peer-id=${guest.peerId}>
                <span>${guest.name}</span>
                <span class="actions">
                  <button data-testid="lobby-admit" aria-label=${t('meeting.admitName', { name: guest.name })} @click=${() => this.#send({ type: 'admit', data: { peerId: guest.peerId } })}>
                    ${t('meeting.admit')}
                  </button>
                  <button class="danger" data-testid="lobby-deny" aria-label=${t('meeting.denyName', { name: guest.name })} @click=${() => this.#send({ type: 'deny', data: { peerId: guest.peerId } })}>
                    ${t('meeting.deny')}
                  </button>
                </span>
              </li>`,
            )}
          </ul>`}
      <div class="moderation">
        <button
          data-testid="meeting-recording"
          data-on=${String(snapshot.recording)}
          @click=${() => this.#send({ type: 'setRecording', data: { on: !snapshot.recording } })}
        >
          ${snapshot.recording ? t('meeting.stopRecording') : t('meeting.startRecording')}
        </button>
        <button data-testid="meeting-lock" data-on=${String(locked)} @click=${() => this.#send({ type: 'setLocked', data: { locked: !locked } })}>
          ${locked ? t('meeting.unlock') : t('meeting.lock')}
        </button>
        <button class="danger" data-testid="meeting-end" @click=${() => this.#confirmed('end') && this.#send({ type: 'endMeeting', data: {} })}>
          ${this.confirming === 'end' ? t('meeting.endConfirm') : t('meeting.endForAll')}
        </button>
      </div>
    `;
  }

  override render() {
    const snapshot = this.snapshot;

    if (!snapshot) return nothing;

    return html`
      <ul aria-label=${t('meeting.participants')}>
        ${snapshot.participants.map((participant) => this.#renderParticipant(participant, snapshot))}
      </ul>
      ${snapshot.self.moderator ? this.#renderModeration(snapshot) : nothing}
    `;
  }
}

customElements.define('podium-meeting-people', PodiumMeetingPeople);
