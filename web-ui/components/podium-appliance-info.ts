import { html, css, nothing } from 'lit';
import type { SystemInfo } from '../api-client.js';
import { formatShortDateTime, t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/**
 * The console's "Appliance" section: the HTTPS address other devices use
 * and the certificate's SHA-256 fingerprint, with a note on accepting a
 * self-signed certificate.
 */
export class PodiumApplianceInfo extends LocalizedElement {
  static override properties = {
    /** The GET /api/system response. The section shows nothing until it is set. */
    system: { attribute: false },
  };

  system: SystemInfo | undefined;

  static override styles = css`
    dl {
      display: grid;
      gap: 0.25rem;
      margin: 0;
    }
    dt {
      color: #d1d5db;
    }
    dd {
      margin: 0 0 0.5rem;
    }
    code {
      font-family: ui-monospace, monospace;
      font-size: 0.95rem;
      word-break: break-all;
    }
    .note {
      padding: 0.5rem 0.75rem;
      border-left: 4px solid #facc15;
      background: #1f2937;
    }
  `;

  override render() {
    const system = this.system;

    if (!system) return nothing;

    const tls = system.tls;

    return html`<section aria-labelledby="appliance-heading">
      <h2 id="appliance-heading">${t('appliance.heading')}</h2>
      <dl>
        <dt>${t('appliance.httpsAddress')}</dt>
        <dd><code>${system.httpsOrigin}</code></dd>
        ${tls
          ? html`<dt>${t('appliance.fingerprint')}</dt>
              <dd><code data-testid="tls-fingerprint">${tls.fingerprint256}</code></dd>
              <dt>${t('appliance.validTo')}</dt>
              <dd>${formatValidTo(tls.validTo)}</dd>`
          : nothing}
      </dl>
      ${!tls ? html`<p class="note">${t('appliance.noTls')}</p>` : nothing}
      ${tls?.selfSigned ? html`<p class="note">${t('appliance.selfSigned')}</p>` : nothing}
    </section>`;
  }
}

/** Formats the certificate's expiry, which Node gives in OpenSSL's text form ("Jun  3 12:00:00 2027 GMT"). */
function formatValidTo(validTo: string): string {
  return Number.isNaN(Date.parse(validTo)) ? validTo : formatShortDateTime(new Date(validTo).toISOString());
}

customElements.define('podium-appliance-info', PodiumApplianceInfo);
