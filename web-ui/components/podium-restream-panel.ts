import { html, css, nothing, type PropertyValues } from 'lit';
import type { RestreamStatus, RestreamTargetInfo } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';
import { reportError } from './report-error.js';

/** How long a Remove button waits for the confirming second tap. */
const REMOVE_CONFIRM_MS = 5000;

/**
 * The console's restream section for one event: adds RTMP or RTMPS targets
 * (name, address, stream key), lists them with the live state of each
 * (verbindet, live, Fehler with the reason), and removes them.
 */
export class PodiumRestreamPanel extends LocalizedElement {
  static override properties = {
    eventId: { attribute: false },
    /** The states of the running event's restreams, from the snapshot. */
    statuses: { attribute: false },
    targets: { state: true },
    busy: { state: true },
    confirmingRemove: { state: true },
  };

  eventId = '';
  statuses: RestreamStatus[] = [];
  targets: RestreamTargetInfo[] = [];
  busy = false;
  confirmingRemove: string | undefined;
  #confirmTimer: number | undefined;

  static override styles = [
    focusStyles,
    listStyles,
    formStyles,
    css`
      .state {
        font-weight: 700;
      }
      .state.live {
        color: #86efac;
      }
      .state.failed {
        color: #fca5a5;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('eventId')) {
      this.targets = [];
      if (this.eventId) void this.#load();
    }
  }

  override disconnectedCallback(): void {
    window.clearTimeout(this.#confirmTimer);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    const eventId = this.eventId;

    try {
      const targets = await api.listRestreams(eventId);

      if (eventId === this.eventId) this.targets = targets;
    } catch (error) {
      reportError(this, error);
    }
  }

  async #add(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();

    const form = submitEvent.target as HTMLFormElement;
    const data = new FormData(form);

    this.busy = true;
    try {
      await api.addRestream(this.eventId, {
        name: String(data.get('name') ?? ''),
        url: String(data.get('url') ?? ''),
        streamKey: String(data.get('streamKey') ?? ''),
      });
      form.reset();
      await this.#load();
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  async #remove(target: RestreamTargetInfo): Promise<void> {
    if (this.confirmingRemove !== target.id) {
      this.confirmingRemove = target.id;
      window.clearTimeout(this.#confirmTimer);
      this.#confirmTimer = window.setTimeout(() => (this.confirmingRemove = undefined), REMOVE_CONFIRM_MS);

      return;
    }
    this.confirmingRemove = undefined;
    try {
      await api.removeRestream(target.id);
      await this.#load();
    } catch (error) {
      reportError(this, error);
    }
  }

  #renderState(target: RestreamTargetInfo) {
    const status = this.statuses.find((entry) => entry.targetId === target.id);

    if (!status) return html`<small>${t('restream.idle')}</small>`;

    return html`<span>
      <span class="state ${status.state}" data-testid="restream-state" data-state=${status.state}>
        ${t(`restream.state.${status.state}`)}
      </span>
      ${status.reason ? html`<br /><small lang="en">${status.reason}</small>` : nothing}
    </span>`;
  }

  override render() {
    return html`
      <section aria-labelledby="restream-heading">
        <h2 id="restream-heading">${t('restream.heading')}</h2>
        <p><small>${t('restream.hint')}</small></p>
        <ul>
          ${this.targets.map(
            (target) => html`<li data-testid="restream-item">
              <span>
                ${target.name}<br />
                <small>${target.url}${target.keyHint ? html` · ${t('restream.key')} ${target.keyHint}` : nothing}</small>
              </span>
              ${this.#renderState(target)}
              <button data-testid="restream-remove" @click=${() => void this.#remove(target)}>
                ${this.confirmingRemove === target.id ? t('restream.removeConfirm') : t('restream.remove')}
              </button>
            </li>`,
          )}
        </ul>
        <form @submit=${(event: SubmitEvent) => void this.#add(event)}>
          <label>
            ${t('restream.name')}
            <input name="name" required maxlength="80" data-testid="restream-name" />
          </label>
          <label>
            ${t('restream.url')}
            <input name="url" required type="url" placeholder="rtmps://…" data-testid="restream-url" />
          </label>
          <label>
            ${t('restream.key')}
            <input name="streamKey" type="password" autocomplete="off" data-testid="restream-key" />
          </label>
          <button type="submit" ?disabled=${this.busy} data-testid="restream-add">${t('restream.add')}</button>
        </form>
      </section>
    `;
  }
}

customElements.define('podium-restream-panel', PodiumRestreamPanel);
