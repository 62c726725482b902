import { html, css, nothing, type PropertyValues } from 'lit';
import {
  MAX_LOWER_THIRD_LENGTH,
  PROGRAM_LAYOUTS,
  type ProgramLayout,
  type ProgramStatus,
} from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { LocalizedElement } from './localized-element.js';
import { runReporting } from './report-error.js';

/**
 * The source a layout cannot show without, as the console names it. The
 * compositor applies the same rule, and this copy only picks the texts.
 */
const MISSING_SOURCE: Record<ProgramLayout, 'slides' | 'remote-speaker' | undefined> = {
  camera: undefined,
  'slides-camera': 'slides',
  slides: 'slides',
  'side-by-side': 'slides',
  'remote-speaker': 'remote-speaker',
};

/**
 * The console's program section. It has one button per layout, which shows
 * the chosen layout (pressed) and the one on air, and disables unavailable
 * layouts with the missing source named. A note appears while the chosen
 * layout has fallen back to the camera. Below, a form shows and hides the
 * lower third (event title, speaker name).
 */
export class PodiumProgramPanel extends LocalizedElement {
  static override properties = {
    /** The program's layout, sources and lower third, from the snapshot. */
    status: { attribute: false },
    lowerThirdTitle: { state: true },
    speakerName: { state: true },
  };

  status: ProgramStatus | null = null;
  /** True while a request runs. Taps in the meantime are ignored. */
  busy = false;
  /** The lower third's event title as typed, before it is sent. */
  lowerThirdTitle = '';
  /** The lower third's speaker name as typed, before it is sent. */
  speakerName = '';

  static override styles = [
    focusStyles,
    formStyles,
    css`
      .burn-in {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-height: 44px;
        margin-top: 0.75rem;
      }
      .burn-in input {
        width: 1.5rem;
        height: 1.5rem;
      }
      .layouts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.5rem;
      }
      .layouts button {
        min-height: 72px;
        display: grid;
        align-content: center;
        justify-items: center;
        gap: 0.25rem;
        padding: 0.5rem;
        border: 2px solid #6b7280;
        border-radius: 8px;
        color: #f9fafb;
        background: #1f2937;
      }
      /* White, not the yellow of the keyboard focus, so that the two stay apart. */
      .layouts button[aria-pressed='true'] {
        border: 4px solid #f9fafb;
      }
      .layouts button.on-air {
        background: #b91c1c;
      }
      .layouts button:disabled {
        cursor: not-allowed;
        color: #9ca3af;
        background: #111827;
        border-style: dashed;
      }
      .tag {
        font-size: 0.875rem;
        font-weight: 700;
        text-transform: uppercase;
      }
      .reason {
        font-size: 0.875rem;
      }
      .fallback {
        padding: 0.75rem 1rem;
        border-radius: 8px;
        font-weight: 700;
        color: #fff;
        background: #92400e;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      small {
        color: #d1d5db;
        font-size: 1rem;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('status')) return;

    const previous = (changed.get('status') as ProgramStatus | null | undefined)?.lowerThird;
    const next = this.status?.lowerThird;

    // Take the texts from the snapshot only when they changed there, so that typing is not overwritten.
    if (next && (previous?.title !== next.title || previous?.name !== next.name)) {
      this.lowerThirdTitle = next.title;
      this.speakerName = next.name;
    }
  }

  // Buttons stay enabled while a request runs so that keyboard focus stays on them, and a tap meanwhile is ignored.
  #choose(layout: ProgramLayout): void {
    if (this.busy) return;
    void runReporting(this, () => api.setProgramLayout(layout));
  }

  #sendLowerThird(visible: boolean): void {
    if (this.busy) return;
    void runReporting(this, () =>
      api.setLowerThird({ visible, title: this.lowerThirdTitle, name: this.speakerName }),
    );
  }

  #renderLayout(status: ProgramStatus, layout: ProgramLayout) {
    const available = status.available.includes(layout);
    const chosen = status.layout === layout;
    const onAir = status.onAir === layout;
    const missing = MISSING_SOURCE[layout];

    return html`<button
      class=${onAir ? 'on-air' : ''}
      aria-pressed=${chosen ? 'true' : 'false'}
      aria-describedby=${!available && missing ? `reason-${layout}` : nothing}
      ?disabled=${!available}
      data-testid="program-layout"
      data-layout=${layout}
      data-chosen=${chosen ? 'true' : 'false'}
      data-on-air=${onAir ? 'true' : 'false'}
      @click=${() => this.#choose(layout)}
    >
      <span>${t(`program.layout.${layout}`)}</span>
      ${onAir ? html`<span class="tag">● ${t('program.onAir')}</span>` : nothing}
      ${!available && missing
        ? html`<span class="reason" id="reason-${layout}" data-testid="program-layout-reason">
            ${t(`program.missing.${missing}`)}
          </span>`
        : nothing}
    </button>`;
  }

  /** One line of the lower third: its label and its input field. */
  #renderLine(line: 'title' | 'name', value: string, onInput: (value: string) => void) {
    return html`<label>
      ${t(`program.lowerThird.${line}`)}
      <input
        name=${line}
        maxlength=${MAX_LOWER_THIRD_LENGTH}
        .value=${value}
        @input=${(event: InputEvent) => onInput((event.target as HTMLInputElement).value)}
        data-testid="lower-third-${line}"
      />
    </label>`;
  }

  #sendCaptionsBurnedIn(burnedIn: boolean): void {
    void runReporting(this, () => api.setCaptionsBurnedIn(burnedIn));
  }

  #renderLowerThird(status: ProgramStatus) {
    const visible = status.lowerThird.visible;

    return html`<form
      aria-labelledby="lower-third-heading"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        this.#sendLowerThird(true);
      }}
    >
      <h3 id="lower-third-heading">${t('program.lowerThird')}</h3>
      <p role="status" data-testid="lower-third-state" data-visible=${visible ? 'true' : 'false'}>
        <small>${visible ? t('program.lowerThird.visible') : t('program.lowerThird.hidden')}</small>
      </p>
      ${this.#renderLine('title', this.lowerThirdTitle, (value) => (this.lowerThirdTitle = value))}
      ${this.#renderLine('name', this.speakerName, (value) => (this.speakerName = value))}
      <div class="actions">
        <button type="submit" data-testid="lower-third-show">
          ${visible ? t('program.lowerThird.update') : t('program.lowerThird.show')}
        </button>
        <button
          type="button"
          ?disabled=${!visible}
          data-testid="lower-third-hide"
          @click=${() => this.#sendLowerThird(false)}
        >
          ${t('program.lowerThird.hide')}
        </button>
      </div>
    </form>`;
  }

  override render() {
    const status = this.status;

    if (!status) return nothing;

    const missing = MISSING_SOURCE[status.layout];
    const fellBack = status.onAir !== status.layout && missing !== undefined;
    const renditions = status.renditions.map(({ width, height }) => `${width}×${height}`).join(', ');

    return html`
      <section aria-labelledby="program-heading">
        <h2 id="program-heading">${t('program.heading')}</h2>
        <p><small>${t('program.hint')}</small></p>
        <div role="alert">
          ${fellBack
            ? html`<p class="fallback" data-testid="program-fallback">
                ${t(`program.fallback.${missing}`)}<br />
                <small>${t('program.fallbackHint')}</small>
              </p>`
            : nothing}
        </div>
        <h3 id="program-layouts-heading">${t('program.layouts')}</h3>
        <div class="layouts" role="group" aria-labelledby="program-layouts-heading">
          ${PROGRAM_LAYOUTS.map((layout) => this.#renderLayout(status, layout))}
        </div>
        ${status.interpreter ? html`<p data-testid="program-interpreter">${t('program.interpreter')}</p>` : nothing}
        <p><small>${t('program.renditions', { list: renditions })}</small></p>
        ${this.#renderLowerThird(status)}
        <label class="burn-in">
          <input
            type="checkbox"
            data-testid="captions-burned-in"
            .checked=${status.captionsBurnedIn}
            @change=${(event: Event) => this.#sendCaptionsBurnedIn((event.target as HTMLInputElement).checked)}
          />
          ${t('program.captionsBurnedIn')}
        </label>
      </section>
    `;
  }
}

customElements.define('podium-program-panel', PodiumProgramPanel);
