import { html, css } from 'lit';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

/**
 * Large touch controls over the watch page's picture: a volume slider and a
 * full-screen button, which shows the picture's container (with these
 * controls) full screen.
 */
export class PodiumPlayerControls extends LocalizedElement {
  static override properties = {
    /** The video element the controls act on. */
    video: { attribute: false },
    volume: { state: true },
    fullscreen: { state: true },
  };

  video: HTMLVideoElement | null = null;
  /** Volume from 0 to 1. */
  volume = 1;
  fullscreen = false;

  readonly #onFullscreenChange = () => (this.fullscreen = document.fullscreenElement !== null);

  static override styles = [
    focusStyles,
    css`
      :host {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding: 0.25rem 0.75rem;
        border-radius: 8px;
        background: rgb(17 24 39 / 80%);
      }
      input {
        width: 8rem;
        min-height: 44px;
      }
      button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 1rem;
        cursor: pointer;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.#onFullscreenChange);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('fullscreenchange', this.#onFullscreenChange);
    super.disconnectedCallback();
  }

  #setVolume(input: HTMLInputElement): void {
    this.volume = Number(input.value) / 100;
    if (!this.video) return;
    this.video.volume = this.volume;
    if (this.volume > 0) this.video.muted = false;
  }

  async #toggleFullscreen(): Promise<void> {
    if (document.fullscreenElement) {
      await document.exitFullscreen();

      return;
    }
    await this.video?.parentElement?.requestFullscreen().catch((error: unknown) => {
      console.warn(`podium: full screen request failed: ${(error as Error).message}`);
    });
  }

  override render() {
    return html`
      <input
        type="range"
        min="0"
        max="100"
        .value=${String(Math.round(this.volume * 100))}
        aria-label=${t('watch.volume')}
        data-testid="volume"
        @input=${(event: Event) => this.#setVolume(event.target as HTMLInputElement)}
      />
      <button data-testid="fullscreen" @click=${() => void this.#toggleFullscreen()}>
        ${this.fullscreen ? t('watch.exitFullscreen') : t('watch.fullscreen')}
      </button>
    `;
  }
}

customElements.define('podium-player-controls', PodiumPlayerControls);
