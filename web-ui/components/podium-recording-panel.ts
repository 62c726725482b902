import { html, css, nothing, type PropertyValues } from 'lit';
import type { RecordingStatus } from '../../appliance/signaling/protocol.js';
import { api, type RecordingInfo } from '../api-client.js';
import { formatElapsed, formatMegabytes } from '../format-duration.js';
import { formatShortDateTime, locale, t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { listStyles } from './list-styles.js';
import { LocalizedElement } from './localized-element.js';
import { reportError } from './report-error.js';

/** How long a Delete button waits for the confirming second tap. */
const DELETE_CONFIRM_MS = 5000;

/**
 * The console's recording section: start and stop with a red "Aufnahme"
 * tally while it runs, the disk warnings and alarms, and the list of
 * recordings with size, duration, download and delete.
 */
export class PodiumRecordingPanel extends LocalizedElement {
  static override properties = {
    status: { attribute: false },
    /** Whether the current event is live, the only time recording can start. */
    live: { attribute: false },
    recordings: { state: true },
    busy: { state: true },
    confirmingDelete: { state: true },
  };

  status: RecordingStatus | null = null;
  live = false;
  recordings: RecordingInfo[] = [];
  busy = false;
  /** The recording whose Delete button waits for the second tap. */
  confirmingDelete: string | undefined;
  #confirmTimer: number | undefined;

  static override styles = [
    focusStyles,
    listStyles,
    css`
      h2 {
        font-size: 1.25rem;
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      button,
      a.button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 1rem;
        cursor: pointer;
        display: inline-flex;
        align-items: center;
      }
      a.button {
        color: inherit;
        border: 1px solid #9ca3af;
        border-radius: 4px;
        text-decoration: none;
      }
      .tally {
        padding: 0.25rem 0.75rem;
        border-radius: 999px;
        color: #fff;
        background: #b91c1c;
        font-weight: 700;
      }
      .alarm {
        padding: 0.75rem 1rem;
        border-radius: 8px;
        font-weight: 700;
        color: #fff;
        background: #92400e;
      }
      .warning {
        padding: 0.75rem 1rem;
        border-radius: 8px;
        border: 2px solid #facc15;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  override disconnectedCallback(): void {
    window.clearTimeout(this.#confirmTimer);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('status') as RecordingStatus | null | undefined;

    // A recording started or ended: the list changes.
    if (changed.has('status') && previous && previous.current?.id !== this.status?.current?.id) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.recordings = await api.listRecordings();
    } catch (error) {
      reportError(this, error);
    }
  }

  async #startOrStop(): Promise<void> {
    this.busy = true;
    try {
      if (this.status?.current) await api.stopRecording();
      else await api.startRecording();
      await this.#load();
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  async #delete(recording: RecordingInfo): Promise<void> {
    if (this.confirmingDelete !== recording.id) {
      this.confirmingDelete = recording.id;
      window.clearTimeout(this.#confirmTimer);
      this.#confirmTimer = window.setTimeout(() => (this.confirmingDelete = undefined), DELETE_CONFIRM_MS);

      return;
    }
    this.confirmingDelete = undefined;
    try {
      await api.deleteRecording(recording.id);
      await this.#load();
    } catch (error) {
      reportError(this, error);
    }
  }

  #renderRecording(recording: RecordingInfo) {
    const running = this.status?.current?.id === recording.id;
    const size = formatMegabytes(running ? this.status!.current!.bytes : recording.bytes, locale());
    const duration = formatElapsed((running ? this.status!.current!.durationSeconds : recording.durationSeconds) * 1000);

    const parts = recording.parts ?? [];

    return html`<li data-testid="recording-item">
      <span>
        ${recording.fileName}<br />
        <small>
          ${formatShortDateTime(recording.startedAt)} · ${duration} · ${size}
          ${parts.length > 1 ? html` · <span data-testid="recording-parts">${t('recording.parts', { count: parts.length })}</span>` : nothing}
          ${recording.endReason === 'interrupted' ? html` · ${t('recording.interrupted')}` : nothing}
        </small>
      </span>
      ${running
        ? nothing
        : html`<span>
            ${parts.length > 1
              ? parts.map(
                  (part, index) => html`<a class="button" href=${api.recordingFileUrl(part.id)} download=${part.fileName}>
                    ${t('recording.downloadPart', { number: index + 1 })}
                  </a>`,
                )
              : html`<a class="button" href=${api.recordingFileUrl(recording.id)} download=${recording.fileName}>
                  ${t('recording.download')}
                </a>`}
            ${parts.length > 1
              ? parts.map((part, index) =>
                  part.hasCaptions
                    ? html`<a class="button" href=${api.recordingCaptionsUrl(part.id)}>
                        ${t('recording.captionsPart', { number: index + 1 })}
                      </a>`
                    : nothing,
                )
              : recording.hasCaptions
                ? html`<a class="button" href=${api.recordingCaptionsUrl(recording.id)}>${t('recording.captions')}</a>`
                : nothing}
            <button data-testid="recording-delete" @click=${() => void this.#delete(recording)}>
              ${this.confirmingDelete === recording.id ? t('recording.deleteConfirm') : t('recording.delete')}
            </button>
          </span>`}
    </li>`;
  }

  override render() {
    const current = this.status?.current;
    const alarm = this.status?.alarm;

    return html`
      <section aria-labelledby="recording-heading">
        <h2 id="recording-heading">
          ${t('recording.heading')}
          ${current
            ? html`<span class="tally" data-testid="recording-tally" role="status">
                ● ${t('recording.tally')} ${formatElapsed(current.durationSeconds * 1000)}
              </span>`
            : nothing}
        </h2>
        <div role="alert">
          ${alarm ? html`<p class="alarm" data-testid="recording-alarm">${t(`recording.alarm.${alarm}`)}</p>` : nothing}
        </div>
        ${this.status?.diskLow ? html`<p class="warning" data-testid="recording-disk-low">${t('recording.diskLow')}</p>` : nothing}
        <button
          data-testid="recording-start-stop"
          ?disabled=${this.busy || (!current && !this.live)}
          @click=${() => void this.#startOrStop()}
        >
          ${current ? t('recording.stop') : t('recording.start')}
        </button>
        ${!current && !this.live ? html`<p><small>${t('recording.onlyLive')}</small></p>` : nothing}
        <h3>${t('recording.list')}</h3>
        ${this.recordings.length === 0
          ? html`<p><small>${t('recording.none')}</small></p>`
          : html`<ul>${this.recordings.map((recording) => this.#renderRecording(recording))}</ul>`}
      </section>
    `;
  }
}

customElements.define('podium-recording-panel', PodiumRecordingPanel);
