import { html, css, nothing } from 'lit';
import type { FloorGuest, LobbyGuest, RaisedHand } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';
import { runReporting } from './report-error.js';

/**
 * The console's view of listeners who wait: raised hands (staff lower them
 * or bring one on stage), the listener on stage (staff mute or remove
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
    /** The listener invited or on stage, or null. */
    floorGuest: { attribute: false },
    /** Listeners in the lobby, longest waiting first. */
    guests: { attribute: false },
    busy: { state: true },
  };

  eventId = '';
  lobbyEnabled = false;
  hands: RaisedHand[] = [];
  floorGuest: FloorGuest | null = null;
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
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
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
            <span class="actions">
              <button
                data-testid="hand-invite"
                ?disabled=${this.busy || this.floorGuest !== null}
                @click=${() => void this.#run(() => api.inviteOnStage(hand.peerId))}
              >
                ${t('floor.invite')}
              </button>
              <button data-testid="hand-lower" ?disabled=${this.busy} @click=${() => void this.#run(() => api.lowerHand(hand.peerId))}>
                ${t('hand.lowerFor')}
              </button>
            </span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  #renderFloor() {
    const guest = this.floorGuest;
    const name = guest?.name ?? t('question.anonymous');
    let state = t('floor.empty');

    if (guest?.state === 'invited') state = t('floor.invited', { name });
    else if (guest?.muted) state = t('floor.muted', { name });
    else if (guest) state = t('floor.onStage', { name });

    return html`<section aria-labelledby="floor-heading" data-testid="floor">
      <h2 id="floor-heading">${t('floor.heading')}</h2>
      <p role="status" data-testid="floor-state" data-state=${guest?.state ?? 'empty'}>${state}</p>
      ${guest?.state === 'on-stage'
        ? html`<button
            data-testid="floor-mute"
            aria-pressed=${guest.muted}
            ?disabled=${this.busy}
            @click=${() => void this.#run(() => api.muteStageGuest(!guest.muted))}
          >
            ${guest.muted ? t('floor.unmute') : t('floor.mute')}
          </button>`
        : nothing}
      ${guest
        ? html`<button data-testid="floor-remove" ?disabled=${this.busy} @click=${() => void this.#run(() => api.removeStageGuest())}>
            ${guest.state === 'invited' ? t('floor.withdraw') : t('floor.remove')}
          </button>`
        : nothing}
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
    return html`${this.#renderHands()} ${this.#renderFloor()} ${this.#renderLobby()}`;
  }
}

customElements.define('podium-audience-queue', PodiumAudienceQueue);
