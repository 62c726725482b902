import { html, css, nothing } from 'lit';
import type { MeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { api } from '../api-client.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { MAX_MEETING_NAME_LENGTH } from '../meeting/meeting-limits.js';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';
import { reportError, runReporting } from './report-error.js';

/** How often the list reloads, for the participant counts. */
const REFRESH_MS = 5000;
/** How long Delete waits for the confirming second tap. */
const DELETE_CONFIRM_MS = 5000;

/**
 * The console's "Besprechungen" panel: creates a meeting (name, access
 * code, lobby, expiry), lists the meetings with their state and
 * participants, copies the guest and the moderator link, and ends or
 * deletes a meeting.
 */
export class PodiumMeetingsPanel extends LocalizedElement {
  static override properties = {
    meetings: { state: true },
    busy: { state: true },
    /** The result of the last copy, announced to screen readers. */
    status: { state: true },
    /** A link the clipboard refused, shown selected for copying by hand. */
    shownLink: { state: true },
    confirmingDelete: { state: true },
  };

  meetings: MeetingInfo[] = [];
  busy = false;
  status = '';
  shownLink = '';
  confirmingDelete: string | undefined;
  #refreshTimer: number | undefined;
  #confirmTimer: number | undefined;

  static override styles = [
    focusStyles,
    listStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .state.open {
        color: #86efac;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    this.#refreshTimer = window.setInterval(() => void this.#load(true), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    window.clearInterval(this.#refreshTimer);
    window.clearTimeout(this.#confirmTimer);
    super.disconnectedCallback();
  }

  /** Reloads the list; a failed background reload stays quiet, because the next one tries again. */
  async #load(quiet = false): Promise<void> {
    try {
      this.meetings = await api.listMeetings();
    } catch (error) {
      if (!quiet) reportError(this, error);
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();

    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const accessCode = String(data.get('accessCode') ?? '').trim();
    const expiresAt = String(data.get('expiresAt') ?? '');

    await runReporting(this, async () => {
      await api.createMeeting({
        name: String(data.get('name') ?? '').trim(),
        accessCode: accessCode || null,
        lobby: data.get('lobby') === 'on',
        expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
      });
      form.reset();
      await this.#load();
    });
  }

  async #copy(path: string): Promise<void> {
    const url = new URL(path, location.origin).href;

    this.shownLink = '';
    try {
      await navigator.clipboard.writeText(url);
      this.status = t('meeting.panel.copied');
    } catch {
      // The clipboard API needs a secure context and permission. The selected link lets staff copy it by hand.
      this.shownLink = url;
      this.status = t('meeting.panel.copySelected');
      await this.updateComplete;

      const input = this.renderRoot.querySelector<HTMLInputElement>('[data-testid="meeting-link-shown"]');

      input?.focus();
      input?.select();
    }
  }

  async #end(meeting: MeetingInfo): Promise<void> {
    await runReporting(this, async () => {
      await api.endMeeting(meeting.id);
      await this.#load();
    });
  }

  /** Starts or stops the meeting's recording or its HLS stream; every participant's page shows the tally. */
  async #toggle(meeting: MeetingInfo, output: 'recording' | 'streaming'): Promise<void> {
    await runReporting(this, async () => {
      if (output === 'recording') await api.recordMeeting(meeting.id, !meeting.recording);
      else await api.streamMeeting(meeting.id, !meeting.streaming);
      await this.#load();
    });
  }

  async #delete(meeting: MeetingInfo): Promise<void> {
    window.clearTimeout(this.#confirmTimer);
    if (this.confirmingDelete !== meeting.id) {
      this.confirmingDelete = meeting.id;
      this.#confirmTimer = window.setTimeout(() => (this.confirmingDelete = undefined), DELETE_CONFIRM_MS);

      return;
    }
    this.confirmingDelete = undefined;
    await runReporting(this, async () => {
      await api.deleteMeeting(meeting.id);
      await this.#load();
    });
  }

  #renderMeeting(meeting: MeetingInfo) {
    const details = [
      t(`meeting.panel.state.${meeting.state}`),
      t('meeting.panel.participants', { count: meeting.participants }),
      meeting.recording ? t('meeting.panel.recording') : '',
      meeting.streaming ? t('meeting.panel.streaming') : '',
      meeting.locked ? t('meeting.panel.locked') : '',
      meeting.lobby ? t('meeting.panel.withLobby') : '',
      meeting.accessCode ? t('meeting.panel.withCode', { code: meeting.accessCode }) : '',
      meeting.expiresAt ? t('meeting.panel.expires', { time: formatShortDateTime(meeting.expiresAt) }) : '',
    ].filter(Boolean);
    const deleting = this.confirmingDelete === meeting.id;

    return html`<li data-testid="meeting" data-meeting-id=${meeting.id}>
      <span>
        <strong>${meeting.name}</strong><br />
        <small class="state ${meeting.state}" data-testid="meeting-details">${details.join(' · ')}</small>
      </span>
      <span class="actions">
        <button data-testid="meeting-copy-link" aria-label=${t('meeting.panel.copyLinkOf', { name: meeting.name })} @click=${() => void this.#copy(meeting.link)}>
          ${t('meeting.panel.copyLink')}
        </button>
        <button
          data-testid="meeting-copy-moderator-link"
          aria-label=${t('meeting.panel.copyModeratorLinkOf', { name: meeting.name })}
          @click=${() => void this.#copy(meeting.moderatorLink)}
        >
          ${t('meeting.panel.copyModeratorLink')}
        </button>
        ${meeting.state === 'open' && meeting.participants > 0
          ? html`<button data-testid="meeting-record" aria-pressed=${String(meeting.recording)} ?disabled=${this.busy} @click=${() => void this.#toggle(meeting, 'recording')}>
                ${t('meeting.panel.record')}
              </button>
              <button data-testid="meeting-stream" aria-pressed=${String(meeting.streaming)} ?disabled=${this.busy} @click=${() => void this.#toggle(meeting, 'streaming')}>
                ${t('meeting.panel.stream')}
              </button>`
          : nothing}
        ${meeting.state === 'open'
          ? html`<button data-testid="meeting-end" ?disabled=${this.busy} aria-label=${t('meeting.panel.endOf', { name: meeting.name })} @click=${() => void this.#end(meeting)}>
              ${t('meeting.panel.end')}
            </button>`
          : nothing}
        <button
          data-testid="meeting-delete"
          ?disabled=${this.busy}
          aria-label=${deleting ? t('meeting.panel.deleteConfirm') : t('meeting.panel.deleteOf', { name: meeting.name })}
          @click=${() => void this.#delete(meeting)}
        >
          ${deleting ? t('meeting.panel.deleteConfirm') : t('meeting.panel.delete')}
        </button>
      </span>
    </li>`;
  }

  override render() {
    return html`<section aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">${t('meeting.panel.heading')}</h2>
      ${this.meetings.length === 0
        ? html`<p>${t('meeting.panel.none')}</p>`
        : html`<ul aria-labelledby="meetings-heading">${this.meetings.map((meeting) => this.#renderMeeting(meeting))}</ul>`}
      <p role="status" data-testid="meetings-status">${this.status}</p>
      ${this.shownLink
        ? html`<label>${t('meeting.panel.link')}<input readonly data-testid="meeting-link-shown" .value=${this.shownLink} /></label>`
        : nothing}
      <h3>${t('meeting.panel.new')}</h3>
      <form @submit=${(event: SubmitEvent) => void this.#create(event)}>
        <label>${t('meeting.panel.name')}<input name="name" required maxlength=${MAX_MEETING_NAME_LENGTH} pattern=".*\\S.*" data-testid="new-meeting-name" /></label>
        <label>
          ${t('meeting.panel.accessCode')}
          <input name="accessCode" maxlength="64" autocomplete="off" spellcheck="false" data-testid="new-meeting-code" />
        </label>
        <label class="check">
          <input name="lobby" type="checkbox" data-testid="new-meeting-lobby" />
          ${t('meeting.panel.lobby')}
        </label>
        <label>${t('meeting.panel.expiresAt')}<input name="expiresAt" type="datetime-local" data-testid="new-meeting-expiry" /></label>
        <button type="submit" data-testid="new-meeting-create" ?disabled=${this.busy}>${t('meeting.panel.create')}</button>
      </form>
    </section>`;
  }
}

customElements.define('podium-meetings-panel', PodiumMeetingsPanel);
