import { html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Caption } from '../../appliance/signaling/protocol.js';
import { visibleCaptions } from '../captions/visible-captions.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/** How often the overlay follows the playback position. */
const REFRESH_MS = 200;

/**
 * The live captions over the watch page's picture, in the time of the
 * picture: at once over WebRTC, as far behind as the playback on HLS.
 * Its region stays in the page while captions are on and is a polite live
 * region, so screen readers and braille displays get each new line.
 * It takes at most 40 % of the picture's height and keeps the newest lines
 * when the lines are taller, and it stays above the player controls.
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
      /* Above podium-player-controls, which sit 3.5rem from the bottom and are about 3.25rem high. */
      bottom: 7.25rem;
      max-height: 40%;
      display: flex;
      flex-direction: column;
      pointer-events: none;
    }
    div {
      display: flex;
      flex-direction: column;
      justify-content: flex-end;
      align-items: center;
      min-height: 0;
      /*
       * Lines beyond the maximum height leave at the top, so the newest stay readable.
       * NOTE: a single caption taller than that (200 characters in large type at 640 CSS px) shows only its end.
       */
      overflow: hidden;
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
    // Keyed by caption id, so a line keeps its element and a live region announces only new lines.
    return html`<div role="region" aria-label=${t('captions.region')} aria-live="polite" data-testid="captions">
      ${repeat(
        this.lines,
        (line) => line.id,
        (line) => html`<p data-testid="caption-line">${line.text}</p>`,
      )}
    </div>`;
  }
}

customElements.define('podium-caption-overlay', PodiumCaptionOverlay);
