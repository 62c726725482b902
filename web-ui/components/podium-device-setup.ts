import { html, css, nothing } from 'lit';
import type {
  DevicePreviews,
  DeviceSelection,
  DeviceSetupInfo,
  SetupCamera,
  SetupMicrophone,
} from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';
import './podium-level-meter.js';
import { reportError } from './report-error.js';

/** How often the screen polls the previews' state and meter levels. */
const POLL_MS = 250;
/** How often the screen reloads the device lists, which Podium discovers every 5 s while the screen is open. */
const LIST_MS = 5000;

/**
 * The console's setup screen: the discovered cameras, each with a preview
 * picture, its chosen mode and why, and the microphones, each with a level
 * meter and the ALSA path the capture opens. Staff choose the camera and
 * microphone that events use; the built-in test picture and tone are
 * choices too. Podium runs the previews and meters while this element polls.
 */
export class PodiumDeviceSetup extends LocalizedElement {
  static override properties = {
    info: { state: true },
    previews: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** The discovered devices and the stored choice. */
  info: DeviceSetupInfo | undefined;
  /** The previews' and meters' state, polled. */
  previews: DevicePreviews | undefined;
  /** The last saved choice, announced to screen readers. */
  status = '';
  busy = false;
  #pollTimer: number | undefined;
  #listTimer: number | undefined;

  static override styles = [
    focusStyles,
    css`
      :host {
        display: block;
      }
      .devices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(340px, 1fr));
        gap: 1rem;
        padding: 0;
        margin: 0 0 1rem;
        border: none;
      }
      legend {
        font-weight: 700;
        font-size: 1.25rem;
        margin-bottom: 0.5rem;
      }
      .device {
        display: grid;
        align-content: start;
        gap: 0.5rem;
        padding: 0.75rem;
        border: 3px solid #374151;
        border-radius: 10px;
        background: #111827;
      }
      .pick {
        display: grid;
        align-content: start;
        gap: 0.5rem;
        cursor: pointer;
      }
      .device.chosen {
        border-color: #15803d;
      }
      .device input {
        width: 28px;
        height: 28px;
        min-height: 28px;
        margin: 0;
      }
      .title {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        font-weight: 700;
      }
      .thumbnail {
        width: 320px;
        max-width: 100%;
        aspect-ratio: 16 / 9;
        background: #030712;
        object-fit: contain;
      }
      .placeholder {
        display: grid;
        place-items: center;
        width: 320px;
        max-width: 100%;
        aspect-ratio: 16 / 9;
        background: #030712;
        color: #d1d5db;
        text-align: center;
      }
      .detail,
      .explanation {
        color: #d1d5db;
        font-size: 0.95rem;
        margin: 0;
      }
      summary {
        min-height: 44px;
        line-height: 44px;
        cursor: pointer;
      }
      .modes {
        margin: 0;
        padding-left: 1.25rem;
        font-size: 0.9rem;
        color: #d1d5db;
      }
      .problems {
        color: #fcd34d;
      }
      .actions {
        display: flex;
        gap: 1rem;
        align-items: center;
      }
      button {
        font: inherit;
        min-height: 44px;
        padding: 0 1rem;
        border-radius: 8px;
        border: 2px solid #4b5563;
        color: #f9fafb;
        background: #1f2937;
        cursor: pointer;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    this.#pollTimer = window.setInterval(() => void this.#poll(), POLL_MS);
    this.#listTimer = window.setInterval(() => void this.#load(), LIST_MS);
  }

  override disconnectedCallback(): void {
    clearInterval(this.#pollTimer);
    clearInterval(this.#listTimer);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    try {
      this.info = await api.devices();
    } catch (error) {
      reportError(this, error);
    }
  }

  async #poll(): Promise<void> {
    if (!this.info) return;
    try {
      this.previews = await api.devicePreviews();
    } catch {
      // A failed poll is retried on the next tick; #load reports lasting errors.
    }
  }

  async #refresh(): Promise<void> {
    this.busy = true;
    try {
      this.info = await api.refreshDevices();
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  async #choose(change: Partial<DeviceSelection>): Promise<void> {
    if (!this.info) return;

    const selection = { ...this.info.selection, ...change };

    try {
      const saved = await api.selectDevices(selection);

      this.info = { ...this.info, selection: saved };
      this.status = t('setup.saved');
    } catch (error) {
      reportError(this, error);
    }
  }

  #cameraName(camera: SetupCamera): string {
    return camera.kind === 'test-pattern' ? t('setup.testPattern') : camera.name;
  }

  #microphoneName(microphone: SetupMicrophone): string {
    return microphone.kind === 'test-tone' ? t('setup.testTone') : microphone.name;
  }

  #renderPicture(camera: SetupCamera) {
    const preview = this.previews?.cameras.find((entry) => entry.id === camera.id);
    const state = camera.inUse ? 'in-use' : (preview?.state ?? 'starting');

    if ((state === 'running' || state === 'in-use') && preview?.pictureAt) {
      const url = `/api/devices/cameras/${encodeURIComponent(camera.id)}/picture?at=${preview.pictureAt}`;
      const alt = t('setup.previewAlt', { name: this.#cameraName(camera) });

      return html`<img class="thumbnail" data-testid="camera-preview" src=${url} alt=${alt} />
        ${state === 'in-use' ? html`<span class="detail">${t('setup.preview.in-use')}</span>` : nothing}`;
    }

    return html`<div class="placeholder" data-testid="camera-preview-state">
      <span>${t(`setup.preview.${state}`)}${state === 'failed' && preview?.failure ? html`<br /><small>${preview.failure}</small>` : nothing}</span>
    </div>`;
  }

  #renderCamera(camera: SetupCamera) {
    const chosen = this.info?.selection.camera === camera.id;

    return html`<div class="device ${chosen ? 'chosen' : ''}" data-testid="camera" data-device=${camera.id}>
      <label class="pick">
        <span class="title">
          <input
            type="radio"
            name="camera"
            aria-label=${this.#cameraName(camera)}
            .checked=${chosen}
            ?disabled=${camera.mode === null}
            @change=${() => void this.#choose({ camera: camera.id })}
          />
          ${this.#cameraName(camera)}
        </span>
        ${this.#renderPicture(camera)}
        <p class="detail">${[camera.node ?? '', camera.mode ?? ''].filter(Boolean).join(' · ')}</p>
        <p class="explanation" data-testid="camera-explanation">
          ${camera.mode === null ? t('setup.noMode') : nothing} ${camera.kind === 'v4l2' ? camera.explanation : ''}
        </p>
      </label>
      ${camera.modes.length > 0
        ? html`<details>
            <summary>${t('setup.allModes', { count: camera.modes.length })}</summary>
            <ul class="modes">
              ${camera.modes.map((mode) => html`<li>${mode}</li>`)}
            </ul>
          </details>`
        : nothing}
    </div>`;
  }

  #renderMicrophone(microphone: SetupMicrophone) {
    const chosen = this.info?.selection.microphone === microphone.id;
    const preview = this.previews?.microphones.find((entry) => entry.id === microphone.id);
    const name = this.#microphoneName(microphone);

    return html`<label class="device ${chosen ? 'chosen' : ''}" data-testid="microphone" data-device=${microphone.id}>
      <span class="title">
        <input type="radio" name="microphone" aria-label=${name} .checked=${chosen} @change=${() => void this.#choose({ microphone: microphone.id })} />
        ${name}
      </span>
      <podium-level-meter
        .peakDb=${preview?.level?.peakDb ?? -Infinity}
        .rmsDb=${preview?.level?.rmsDb ?? -Infinity}
        label=${t('setup.levelOf', { name })}
      ></podium-level-meter>
      <p class="detail">
        ${[
          microphone.cardId ? t('setup.cardId', { id: microphone.cardId }) : '',
          microphone.path ?? '',
          preview && preview.state !== 'running' ? t(`setup.preview.${preview.state}`) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <p class="explanation">${microphone.kind === 'alsa' ? microphone.explanation : ''}</p>
    </label>`;
  }

  override render() {
    const info = this.info;

    if (!info) return html`<p>${t('setup.loading')}</p>`;

    return html`
      <p class="detail">${t('setup.hint')}</p>
      <fieldset class="devices">
        <legend>${t('setup.cameras')}</legend>
        ${info.cameras.map((camera) => this.#renderCamera(camera))}
      </fieldset>
      <fieldset class="devices">
        <legend>${t('setup.microphones')}</legend>
        ${info.microphones.map((microphone) => this.#renderMicrophone(microphone))}
      </fieldset>
      ${info.problems.length > 0
        ? html`<ul class="problems" data-testid="device-problems">
            ${info.problems.map((problem) => html`<li lang="en">${problem}</li>`)}
          </ul>`
        : nothing}
      <div class="actions">
        <button data-testid="refresh-devices" ?disabled=${this.busy} @click=${() => void this.#refresh()}>${t('setup.refresh')}</button>
        <p role="status" data-testid="setup-status">${this.status}</p>
      </div>
    `;
  }
}

customElements.define('podium-device-setup', PodiumDeviceSetup);
