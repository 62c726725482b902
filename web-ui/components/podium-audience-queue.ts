import { html, css, nothing } from 'lit';
import type { LobbyGuest, RaisedHand } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';
import { runReporting } from './report-error.js';

/**
 * The console's view of listeners who wait: raised hands (staff lower
 * them), and the event's lobby with its switch, where staff admit listeners
 * one by one or all at once.
 */
export class PodiumAudienceQueue extends LocalizedElement {
  static override properties = {
    /** The current event's id. */
    eventId: { attribute: false },
    /** Whether the current event has a lobby. */
    lobbyEnabled: { attribute: false },
    /** Raised hands, longest waiting first. */
    hands: { attribute: false },
    /** Listeners in the lobby, longest waiting first. */
    guests: { attribute: false },
    busy: { state: true },
  };

  eventId = '';
  lobbyEnabled = false;
  hands: RaisedHand[] = [];
  guests: LobbyGuest[] = [];
  busy = false;

  static override styles = [
    focusStyles,
    listStyles,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      li {
        overflow-wrap: anywhere;
      }
      button,
      input {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
      }
      button {
        padding: 0 0.75rem;
        cursor: pointer;
      }
      label {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
    `,
  ];

  #run(action: () => Promise<unknown>): Promise<void> {
    return runReporting(this, action);
  }

  #renderHands() {
    return html`<section aria-labelledby="hands-heading">
      <h2 id="hands-heading">${t('hand.heading', { count: this.hands.length })}</h2>
      ${this.hands.length === 0 ? html`<p>${t('hand.none')}</p>` : nothing}
      <ul data-testid="hand-list">
        ${this.hands.map(
          (hand) => html`<li data-testid="raised-hand">
            <span>${hand.name ?? t('question.anonymous')} · ${formatShortDateTime(hand.raisedAt)}</span>
            <button ?disabled=${this.busy} @click=${() => void this.#run(() => api.lowerHand(hand.peerId))}>
              ${t('hand.lowerFor')}
            </button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  #renderLobby() {
    return html`<section aria-labelledby="lobby-heading">
      <h2 id="lobby-heading">${t('lobby.heading', { count: this.guests.length })}</h2>
      <label>
        <input
          type="checkbox"
          data-testid="lobby-enabled"
          .checked=${this.lobbyEnabled}
          ?disabled=${this.busy}
          @change=${(event: Event) =>
            void this.#run(() => api.setLobby(this.eventId, (event.target as HTMLInputElement).checked))}
        />
        ${t('lobby.enabled')}
      </label>
      ${this.lobbyEnabled && this.guests.length === 0 ? html`<p>${t('lobby.none')}</p>` : nothing}
      <ul data-testid="lobby-list">
        ${this.guests.map(
          (guest) => html`<li data-testid="lobby-guest">
            <span>${guest.name ?? t('question.anonymous')} · ${t('lobby.since', { time: formatShortDateTime(guest.since) })}</span>
            <button data-testid="lobby-admit" ?disabled=${this.busy} @click=${() => void this.#run(() => api.admitGuest(this.eventId, guest.peerId))}>
              ${t('lobby.admit')}
            </button>
          </li>`,
        )}
      </ul>
      ${this.guests.length > 1
        ? html`<button data-testid="lobby-admit-all" ?disabled=${this.busy} @click=${() => void this.#run(() => api.admitAll(this.eventId))}>
            ${t('lobby.admitAll')}
          </button>`
        : nothing}
    </section>`;
  }

  override render() {
    return html`${this.#renderHands()} ${this.#renderLobby()}`;
  }
}

customElements.define('podium-audience-queue', PodiumAudienceQueue);
