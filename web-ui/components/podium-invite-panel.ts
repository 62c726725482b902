import { html, css, nothing, type PropertyValues } from 'lit';
import { focusStyles } from './focus-styles.js';
import { listStyles } from './list-styles.js';
import { api, INVITE_ROLES, type CreatedInvite, type Invite, type InviteRole } from '../api-client.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';
import { reportError } from './report-error.js';

/** Hours an invite link stays valid unless staff choose otherwise: long enough for a rehearsal the day before. */
const DEFAULT_VALID_HOURS = 48;
/** The server's limit: 30 days. */
const MAX_VALID_HOURS = 24 * 30;

type InviteState = 'active' | 'expired' | 'revoked';

function stateOf(invite: Invite, now: number): InviteState {
  if (invite.revokedAt) return 'revoked';

  return Date.parse(invite.expiresAt) <= now ? 'expired' : 'active';
}

/**
 * The console's "Invitations" section for one event: creates invite links
 * for speakers, interpreters and captioners, shows a new link once with a
 * copy button, and lists the event's invites with a revoke button each.
 * Failed actions are dispatched as "podium-error" events.
 */
export class PodiumInvitePanel extends LocalizedElement {
  static override properties = {
    /** The event the invites belong to. */
    eventId: { attribute: false },
    invites: { state: true },
    created: { state: true },
    busy: { state: true },
    status: { state: true },
  };

  eventId = '';
  invites: Invite[] = [];
  /** The invite created last, with its link. The server returns the link in that one response only. */
  created: CreatedInvite | undefined;
  busy = false;
  /** The last outcome, announced in a live region. */
  status = '';

  static override styles = [
    focusStyles,
    listStyles,
    css`
    h3 {
      font-size: 1.1rem;
      margin-bottom: 0.25rem;
    }
    form {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0.75rem;
      align-items: end;
    }
    .wide {
      grid-column: 1 / -1;
    }
    label {
      display: grid;
      gap: 0.25rem;
    }
    button,
    input,
    select {
      font: inherit;
      min-height: 44px;
    }
    button {
      min-width: 44px;
      padding: 0 1rem;
      cursor: pointer;
    }
    input,
    select {
      padding: 0 0.5rem;
    }
    .hint {
      margin: 0;
      font-size: 1rem;
      color: #d1d5db;
    }
    .created {
      margin-top: 1rem;
      padding: 0.75rem 1rem;
      border: 2px solid #facc15;
      border-radius: 8px;
      background: #1f2937;
    }
    .created h3 {
      margin-top: 0;
    }
    .created .hint {
      margin-bottom: 0.75rem;
    }
    .copy-row {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .copy-row input {
      flex: 1 1 100%;
      font-family: ui-monospace, monospace;
      font-size: 1rem;
    }
    .state {
      font-weight: 700;
    }
    .state.active {
      color: #86efac;
    }
    .state.expired,
    .state.revoked {
      color: #d1d5db;
    }
  `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('eventId')) {
      this.created = undefined;
      this.invites = [];
      this.status = '';
      if (this.eventId) void this.#load();
    }
  }

  async #load(): Promise<void> {
    const eventId = this.eventId;

    try {
      const invites = await api.listInvites(eventId);

      if (eventId === this.eventId) this.invites = invites;
    } catch (error) {
      reportError(this, error);
    }
  }

  async #create(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();

    const form = submitEvent.target as HTMLFormElement;
    const data = new FormData(form);

    this.busy = true;
    try {
      this.created = await api.createInvite(this.eventId, {
        role: String(data.get('role')) as InviteRole,
        label: String(data.get('label') ?? '').trim(),
        validHours: Number(data.get('validHours')) || DEFAULT_VALID_HOURS,
      });
      this.status = '';
      const labelInput = form.querySelector<HTMLInputElement>('input[name="label"]');

      if (labelInput) labelInput.value = '';
      await this.#load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[data-testid="invite-url"]')?.focus();
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  async #copy(): Promise<void> {
    const url = this.created?.url ?? '';

    try {
      await navigator.clipboard.writeText(url);
      this.status = t('invites.copied');
    } catch {
      // The clipboard API needs a secure context and permission. Selecting the text lets staff copy it by hand.
      const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="invite-url"]');

      input?.focus();
      input?.select();
      this.status = t('invites.copySelected');
    }
  }

  async #revoke(invite: Invite): Promise<void> {
    this.busy = true;
    try {
      await api.revokeInvite(invite.id);
      this.status = t('invites.revoked', { label: invite.label });
      await this.#load();
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  #renderCreated() {
    const created = this.created;

    if (!created) return nothing;

    return html`<div class="created">
      <h3 id="created-heading">${t('invites.created', { label: created.label })}</h3>
      <p class="hint" id="created-hint">${t('invites.createdHint')}</p>
      <div class="copy-row">
        <input
          readonly
          .value=${created.url}
          aria-labelledby="created-heading"
          aria-describedby="created-hint"
          data-testid="invite-url"
          @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
        />
        <button @click=${() => void this.#copy()} data-testid="invite-copy">${t('invites.copy')}</button>
        <button @click=${() => (this.created = undefined)}>${t('invites.hideLink')}</button>
      </div>
    </div>`;
  }

  #renderList() {
    const now = Date.now();

    if (this.invites.length === 0) return html`<p>${t('invites.none')}</p>`;

    return html`<ul>
      ${this.invites.map((invite) => {
        const state = stateOf(invite, now);

        return html`<li data-testid="invite-row">
          <span>
            ${invite.label} · ${t(`invites.role.${invite.role}`)}<br />
            <small>
              ${t('invites.expires', { date: formatShortDateTime(invite.expiresAt) })} ·
              <span class="state ${state}">${t(`invites.state.${state}`)}</span>
            </small>
          </span>
          ${state === 'active'
            ? html`<button
                data-testid="invite-revoke"
                aria-label=${t('invites.revokeLabel', { label: invite.label })}
                ?disabled=${this.busy}
                @click=${() => void this.#revoke(invite)}
              >
                ${t('invites.revoke')}
              </button>`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }

  override render() {
    return html`<section aria-labelledby="invites-heading">
      <h2 id="invites-heading">${t('invites.heading')}</h2>
      <form @submit=${(event: SubmitEvent) => void this.#create(event)}>
        <label>
          ${t('invites.role')}
          <select name="role" data-testid="invite-role">
            ${INVITE_ROLES.map((role) => html`<option value=${role}>${t(`invites.role.${role}`)}</option>`)}
          </select>
        </label>
        <label>
          ${t('invites.validHours')}
          <input name="validHours" type="number" min="1" max=${MAX_VALID_HOURS} step="1" value=${DEFAULT_VALID_HOURS} required />
        </label>
        <label class="wide">
          ${t('invites.label')}
          <input name="label" required maxlength="100" pattern=".*\\S.*" aria-describedby="label-hint" data-testid="invite-label" />
        </label>
        <p class="hint wide" id="label-hint">${t('invites.labelHint')}</p>
        <button class="wide" type="submit" ?disabled=${this.busy || !this.eventId} data-testid="invite-create">
          ${t('invites.create')}
        </button>
      </form>
      ${this.#renderCreated()}
      <h3>${t('invites.list')}</h3>
      ${this.#renderList()}
      <p role="status" class="hint">${this.status}</p>
    </section>`;
  }
}

customElements.define('podium-invite-panel', PodiumInvitePanel);
