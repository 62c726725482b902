import { html, css, nothing } from 'lit';
import { focusStyles } from './focus-styles.js';
import { api } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';
import { reportError } from './report-error.js';

/** Holding a preset button this long saves the current view in it. */
const LONG_PRESS_MS = 800;
/**
 * How often a held move or zoom is sent again. Podium stops the camera when
 * no renewal comes for 1.5 s, so a closed page cannot leave it moving.
 */
const RENEW_MS = 500;

type Hold = { kind: 'move'; pan: -1 | 0 | 1; tilt: -1 | 0 | 1 } | { kind: 'zoom'; direction: -1 | 1 };

const ARROWS: { id: string; label: 'ptz.up' | 'ptz.down' | 'ptz.left' | 'ptz.right'; symbol: string; pan: -1 | 0 | 1; tilt: -1 | 0 | 1 }[] = [
  { id: 'up', label: 'ptz.up', symbol: '▲', pan: 0, tilt: 1 },
  { id: 'left', label: 'ptz.left', symbol: '◀', pan: -1, tilt: 0 },
  { id: 'right', label: 'ptz.right', symbol: '▶', pan: 1, tilt: 0 },
  { id: 'down', label: 'ptz.down', symbol: '▼', pan: 0, tilt: -1 },
];

/**
 * The console's PTZ panel: press and hold an arrow or a zoom button to move
 * the camera, release to stop. It shows only what the connected camera
 * supports and hides itself when no camera is connected.
 */
export class PodiumPtzPanel extends LocalizedElement {
  static override properties = {
    /** Commands the connected camera supports (pan, tilt, zoom, home …); empty when none is connected. */
    commands: { attribute: false },
    /** The camera profile's name. */
    profileName: { attribute: false },
    /** Whether the configured camera is connected; without it the panel shows only that. */
    connected: { attribute: false },
    /** Whether the camera is the simulated one of the test picture, which is shown as such rather than by its profile. */
    simulated: { attribute: false },
    holding: { state: true },
    presets: { state: true },
    status: { state: true },
  };

  /** The named camera positions; a long press saves the current view, a tap recalls it. */
  presets: { slot: number; name: string; saved: boolean }[] = [];
  /** The last preset action, announced to screen readers. */
  status = '';
  #pressTimer: number | undefined;
  #longPressDone = false;

  commands: string[] = [];
  profileName = '';
  connected = true;
  simulated = false;
  /** The button held down now, if any. */
  holding: string | undefined;
  #held: Hold | undefined;
  #renewTimer: number | undefined;
  /**
   * The move, zoom and stop requests, sent one after another in order, so a
   * late renewal cannot restart a stopped camera.
   */
  #requests: Promise<unknown> = Promise.resolve();
  /** How many requests are queued or on their way; a renewal is skipped while any is. */
  #pending = 0;

  static override styles = [
    focusStyles,
    css`
    :host {
      display: block;
    }
    .pad {
      display: grid;
      grid-template-columns: repeat(3, 64px);
      grid-template-rows: repeat(3, 64px);
      gap: 6px;
    }
    button {
      font: inherit;
      font-size: 1.5rem;
      min-width: 64px;
      min-height: 64px;
      border-radius: 10px;
      border: 2px solid #4b5563;
      color: #f9fafb;
      background: #1f2937;
      touch-action: none;
      cursor: pointer;
    }
    button.held {
      background: #1d4ed8;
    }
    .up {
      grid-column: 2;
      grid-row: 1;
    }
    .left {
      grid-column: 1;
      grid-row: 2;
    }
    .home {
      grid-column: 2;
      grid-row: 2;
      font-size: 1rem;
    }
    .right {
      grid-column: 3;
      grid-row: 2;
    }
    .down {
      grid-column: 2;
      grid-row: 3;
    }
    .zoom {
      display: flex;
      gap: 6px;
      margin-top: 6px;
    }
    .presets {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 6px;
      margin-top: 12px;
    }
    .preset {
      font-size: 1rem;
      min-height: 56px;
    }
    .preset.saved {
      border-color: #15803d;
    }
    .hint {
      color: #d1d5db;
      font-size: 0.95rem;
    }
    .camera-state {
      font-weight: 600;
    }
  `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadPresets();
  }

  /** Stops a held move or zoom when the panel goes away, for example when the camera is unplugged. */
  override disconnectedCallback(): void {
    this.#release();
    super.disconnectedCallback();
  }

  async #loadPresets(): Promise<void> {
    try {
      this.presets = await api.ptzPresets();
    } catch (error) {
      reportError(this, error);
    }
  }

  #presetDown(slot: number): void {
    this.#longPressDone = false;
    window.clearTimeout(this.#pressTimer);
    this.#pressTimer = window.setTimeout(() => {
      this.#pressTimer = undefined;
      this.#longPressDone = true;
      void this.#savePreset(slot);
    }, LONG_PRESS_MS);
  }

  #presetUp(slot: number): void {
    if (this.#pressTimer === undefined) return;
    window.clearTimeout(this.#pressTimer);
    this.#pressTimer = undefined;
    if (!this.#longPressDone) void this.#recallPreset(slot);
  }

  async #savePreset(slot: number): Promise<void> {
    try {
      const saved = await api.ptzSavePreset(slot);

      this.status = t('ptz.presetSaved', { name: saved.name });
      await this.#loadPresets();
    } catch (error) {
      reportError(this, error);
    }
  }

  async #recallPreset(slot: number): Promise<void> {
    try {
      await api.ptzRecallPreset(slot);
      this.status = t('ptz.presetRecalled', { name: this.presets[slot]?.name ?? '' });
    } catch (error) {
      reportError(this, error);
    }
  }

  #renderPresets() {
    return html`<div class="presets">
      ${this.presets.map(
        (preset) => html`<button
          class="preset ${preset.saved ? 'saved' : ''}"
          data-testid=${`ptz-preset-${preset.slot}`}
          aria-describedby="preset-hint"
          @pointerdown=${() => this.#presetDown(preset.slot)}
          @pointerup=${() => this.#presetUp(preset.slot)}
          @pointerleave=${() => window.clearTimeout(this.#pressTimer)}
          @keydown=${(event: KeyboardEvent) => {
            if ((event.key === 'Enter' || event.key === ' ') && !event.repeat) this.#presetDown(preset.slot);
          }}
          @keyup=${(event: KeyboardEvent) => {
            if (event.key === 'Enter' || event.key === ' ') this.#presetUp(preset.slot);
          }}
        >
          ${preset.name}
        </button>`,
      )}
    </div>
    <p id="preset-hint" class="hint">${t('ptz.presetHint')}</p>
    <p role="status" data-testid="ptz-status">${this.status}</p>`;
  }

  #press(id: string, hold: Hold): void {
    if (this.#held) return;
    this.#held = hold;
    this.holding = id;
    this.#sendHold(hold);
    this.#renewTimer = window.setInterval(() => {
      if (this.#pending === 0) this.#sendHold(hold);
    }, RENEW_MS);
  }

  /** Queues a request after the ones before it. */
  #send(request: () => Promise<unknown>, onError: (error: unknown) => void): void {
    this.#pending++;
    this.#requests = this.#requests
      .then(request)
      .catch(onError)
      .finally(() => {
        this.#pending--;
      });
  }

  /**
   * Sends the held move or zoom; sent again, it renews Podium's lease without
   * changing the motion. A failure ends the hold, so it is reported once.
   */
  #sendHold(hold: Hold): void {
    this.#send(
      () => (hold.kind === 'move' ? api.ptzMove(hold.pan, hold.tilt) : api.ptzZoom(hold.direction)),
      (error) => {
        reportError(this, error);
        if (this.#held === hold) this.#release();
      },
    );
  }

  /** Stops what the held button started: a move with stop, a zoom with zoom 0. */
  #release(): void {
    const held = this.#held;

    if (!held) return;
    window.clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
    this.#held = undefined;
    this.holding = undefined;

    this.#send(
      () => (held.kind === 'move' ? api.ptzStop() : api.ptzZoom(0)),
      (error) => reportError(this, error),
    );
  }

  /** Pointer and keyboard handlers of one hold-to-move button. */
  #holdButton(id: string, hold: Hold, label: string, symbol: string, extraClass = '') {
    const press = (event: Event) => {
      event.preventDefault();
      this.#press(id, hold);
    };
    const keyDown = (event: KeyboardEvent) => {
      if ((event.key === 'Enter' || event.key === ' ') && !event.repeat) press(event);
    };
    const keyUp = (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') this.#release();
    };

    return html`<button
      class="${id} ${extraClass} ${this.holding === id ? 'held' : ''}"
      aria-label=${label}
      aria-pressed=${this.holding === id ? 'true' : 'false'}
      data-testid=${`ptz-${id}`}
      @pointerdown=${press}
      @pointerup=${() => this.#release()}
      @pointerleave=${() => this.#release()}
      @pointercancel=${() => this.#release()}
      @keydown=${keyDown}
      @keyup=${keyUp}
      @blur=${() => this.#release()}
    >
      ${symbol}
    </button>`;
  }

  /** Renders the home button: in the middle of the arrows, or alone for a camera that has home but no pan or tilt. */
  #renderHome() {
    if (!this.commands.includes('home')) return nothing;

    return html`<button class="home" data-testid="ptz-home" @click=${() => api.ptzHome().catch((error: unknown) => reportError(this, error))}>
      ${t('ptz.home')}
    </button>`;
  }

  override render() {
    if (!this.connected) {
      return html`<section aria-labelledby="ptz-heading">
        <h2 id="ptz-heading">${t('ptz.heading')}</h2>
        <p role="status" class="camera-state" data-testid="ptz-connection">
          ${t('ptz.disconnected')} <small>${this.profileName}</small>
        </p>
      </section>`;
    }
    if (this.commands.length === 0) return nothing;

    const canMove = this.commands.includes('pan') || this.commands.includes('tilt');

    return html`<section aria-labelledby="ptz-heading">
      <h2 id="ptz-heading">${t('ptz.heading')}</h2>
      <p class="camera-state" data-testid="ptz-connection">
        ${this.simulated ? t('ptz.simulated') : html`${t('ptz.connected')}: <small>${this.profileName}</small>`}
      </p>
      ${canMove
        ? html`<p>${t('ptz.hint')}</p>
            <div class="pad">
              ${ARROWS.map((arrow) =>
                this.#holdButton(arrow.id, { kind: 'move', pan: arrow.pan, tilt: arrow.tilt }, t(arrow.label), arrow.symbol),
              )}
              ${this.#renderHome()}
            </div>`
        : this.#renderHome()}
      ${this.commands.includes('zoom')
        ? html`<div class="zoom">
            ${this.#holdButton('zoom-in', { kind: 'zoom', direction: 1 }, t('ptz.zoomIn'), '+')}
            ${this.#holdButton('zoom-out', { kind: 'zoom', direction: -1 }, t('ptz.zoomOut'), '−')}
          </div>`
        : nothing}
      ${this.commands.includes('presetRecall') ? this.#renderPresets() : nothing}
    </section>`;
  }
}

customElements.define('podium-ptz-panel', PodiumPtzPanel);
