import { html, css } from 'lit';
import { formatDecibels } from '../format-decibels.js';
import { locale } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

const FLOOR_DB = -60;

/** A horizontal microphone level meter from -60 dBFS to 0 dBFS. */
export class PodiumLevelMeter extends LocalizedElement {
  static override properties = {
    /** Peak level in dBFS; -Infinity for silence. */
    peakDb: { type: Number },
    /** RMS level in dBFS. */
    rmsDb: { type: Number },
    /** Accessible name of the meter. */
    label: { type: String },
  };

  peakDb = -Infinity;
  rmsDb = -Infinity;
  label = '';

  static override styles = css`
    .track {
      position: relative;
      height: 24px;
      background: #1f2937;
      border-radius: 4px;
      overflow: hidden;
    }
    .rms {
      position: absolute;
      inset: 0 auto 0 0;
      background: linear-gradient(90deg, #15803d 0%, #15803d 70%, #ca8a04 85%, #b91c1c 100%);
    }
    .peak {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 3px;
      background: #f9fafb;
    }
  `;

  override render() {
    const valueText = this.peakDb > FLOOR_DB ? formatDecibels(this.peakDb, locale()) : `< ${FLOOR_DB} dBFS`;

    return html`<div
      class="track"
      role="meter"
      aria-label=${this.label}
      aria-valuemin=${FLOOR_DB}
      aria-valuemax="0"
      aria-valuenow=${Math.max(FLOOR_DB, Number.isFinite(this.peakDb) ? Math.round(this.peakDb) : FLOOR_DB)}
      aria-valuetext=${valueText}
    >
      <div class="rms"></div>
      <div class="peak"></div>
    </div>`;
  }

  // The Content-Security-Policy (style-src 'self') blocks style attributes, and lit's styleMap writes one
  // on its first render. So the bar widths are set through the CSSOM.
  protected override updated(): void {
    this.renderRoot.querySelector<HTMLElement>('.rms')?.style.setProperty('width', `${percent(this.rmsDb)}%`);
    this.renderRoot.querySelector<HTMLElement>('.peak')?.style.setProperty('left', `calc(${percent(this.peakDb)}% - 3px)`);
  }
}

function percent(db: number): number {
  if (!Number.isFinite(db)) return 0;

  return Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100));
}

customElements.define('podium-level-meter', PodiumLevelMeter);
