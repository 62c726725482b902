import { html, css, nothing } from 'lit';
import type { Caption } from '../../appliance/signaling/protocol.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/** Milliseconds a caption stays on screen; the newest LINES show together. */
const DISPLAY_MS = 4000;
/** Lines shown at once: the newest caption and the one before it. */
const LINES = 2;
/** How often the overlay follows the playback position. */
const REFRESH_MS = 200;

/**
 * Returns the captions to show at a moment (wall-clock ms of the picture on
 * screen): those that arrived by then and whose time is not over, the
 * newest LINES of them.
 */
export function visibleCaptions(captions: Caption[], atMs: number): Caption[] {
  const shown = captions.filter((caption) => {
    const start = Date.parse(caption.at);

    return start <= atMs && atMs < start + DISPLAY_MS;
  });

  return shown.slice(-LINES);
}

/**
 * The live captions over the watch page's picture, in the time of the
 * picture: at once over WebRTC, as far behind as the playback on HLS.
 */
export class PodiumCaptionOverlay extends LocalizedElement {
  static override properties = {
    captions: { attribute: false },
    /** Returns the wall-clock time (ms) of the picture on screen. */
    pictureTime: { attribute: false },
    large: { type: Boolean, reflect: true },
    lines: { state: true },
  };

  captions: Caption[] = [];
  pictureTime: () => number = () => Date.now();
  large = false;
  lines: Caption[] = [];
  #timer: number | undefined;

  static override styles = css`
    :host {
      position: absolute;
      left: 5%;
      right: 5%;
      bottom: 4.5rem;
      display: flex;
      flex-direction: column;
      align-items: center;
      pointer-events: none;
    }
    p {
      margin: 0.15rem 0;
      padding: 0.2rem 0.6rem;
      border-radius: 4px;
      background: rgb(0 0 0 / 80%);
      color: #fff;
      font-size: 1.3rem;
      line-height: 1.35;
      text-align: center;
    }
    :host([large]) p {
      font-size: 2.2rem;
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = window.setInterval(() => this.#refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#timer);
    super.disconnectedCallback();
  }

  #refresh(): void {
    const lines = visibleCaptions(this.captions, this.pictureTime());

    if (lines.map((line) => line.id).join() !== this.lines.map((line) => line.id).join()) this.lines = lines;
  }

  override render() {
    if (this.lines.length === 0) return nothing;

    return html`<div role="region" aria-label=${t('captions.region')} data-testid="captions">
      ${this.lines.map((line) => html`<p data-testid="caption-line">${line.text}</p>`)}
    </div>`;
  }
}

customElements.define('podium-caption-overlay', PodiumCaptionOverlay);
