import { html, css, nothing } from 'lit';
import { api, type SystemStatus } from '../api-client.js';
import { locale, t } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/de.js';
import { LocalizedElement } from './localized-element.js';

/** How often the panel reads GET /api/status. */
const REFRESH_MS = 5000;

/**
 * The console's status screen: whether Podium is healthy (and which part
 * fails), viewers per path, bitrates, packet loss, ffmpeg restarts, the
 * media server, the recording, free disk space and CPU load. The same
 * figures as /healthz and /metrics, read from GET /api/status every 5 s.
 */
export class PodiumStatusPanel extends LocalizedElement {
  static override properties = {
    /** The last GET /api/status response; undefined until the first arrives. */
    status: { attribute: false },
    /** True while the last request failed. */
    unavailable: { state: true },
  };

  status: SystemStatus | undefined;
  unavailable = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  static override styles = css`
    dl {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 0.25rem 1rem;
      margin: 0;
    }
    dt {
      color: #d1d5db;
    }
    dd {
      margin: 0;
      text-align: right;
    }
    .summary {
      padding: 0.5rem 0.75rem;
      margin: 0 0 0.75rem;
      font-weight: 600;
      border-left: 4px solid #22c55e;
      background: #1f2937;
    }
    .summary.failing {
      border-left-color: #ef4444;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh();
    this.#timer = setInterval(() => void this.#refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#timer);
    super.disconnectedCallback();
  }

  async #refresh(): Promise<void> {
    try {
      this.status = await api.systemStatus();
      this.unavailable = false;
    } catch {
      // The console's connection banner already shows staff when Podium is unreachable.
      this.unavailable = true;
    }
  }

  override render() {
    const status = this.status;

    return html`<section aria-labelledby="status-heading">
      <h2 id="status-heading">${t('status.heading')}</h2>
      ${this.unavailable ? html`<p role="status">${t('status.unavailable')}</p>` : nothing}
      ${status ? this.#renderStatus(status) : nothing}
    </section>`;
  }

  #renderStatus(status: SystemStatus) {
    const parts = status.failing.map((part) => t(`status.part.${part}` as MessageKey)).join(', ');
    const restarts = Object.values(status.processRestarts).reduce((sum, count) => sum + count, 0);
    const { freeBytes, totalBytes } = status.disk;

    return html`<p class="summary ${status.ready ? '' : 'failing'}" data-testid="status-summary" role="status">
        ${status.ready ? t('status.ready') : t('status.failing', { parts })}
      </p>
      <dl>
        <dt>${t('status.viewers')}</dt>
        <dd data-testid="status-viewers">${t('status.viewersValue', { webrtc: status.viewers.webrtc, hls: status.viewers.hls })}</dd>
        <dt>${t('status.bitrateIn')}</dt>
        <dd>${formatMbps(status.bitrates.venueCamera + status.bitrates.venueMic)}</dd>
        <dt>${t('status.bitrateOut')}</dt>
        <dd>${formatMbps(status.bitrates.webrtcOut)}</dd>
        <dt>${t('status.packetsLost')}</dt>
        <dd>${status.packetsLost.venueIn} / ${status.packetsLost.webrtcOut}</dd>
        <dt>${t('status.restarts')}</dt>
        <dd>${restarts}</dd>
        <dt>${t('status.worker')}</dt>
        <dd>${status.worker.alive ? t('status.workerUp') : t('status.workerDown')}</dd>
        <dt>${t('status.recording')}</dt>
        <dd>${status.recording.active ? t('status.recordingOn') : t('status.recordingOff')}</dd>
        <dt>${t('status.disk')}</dt>
        <dd>
          ${t('status.diskValue', {
            free: formatNumber(freeBytes / 1e9, 1),
            total: formatNumber(totalBytes / 1e9, 1),
            percent: totalBytes > 0 ? Math.round((freeBytes / totalBytes) * 100) : 0,
          })}
        </dd>
        <dt>${t('status.load')}</dt>
        <dd>${t('status.loadValue', { load: formatNumber(status.load.one, 2), cpus: status.load.cpus })}</dd>
      </dl>`;
  }
}

function formatNumber(value: number, digits: number): string {
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

function formatMbps(bitsPerSecond: number): string {
  return `${formatNumber(bitsPerSecond / 1e6, 2)} Mbit/s`;
}

customElements.define('podium-status-panel', PodiumStatusPanel);
