import { html, css, nothing } from 'lit';
import type { PublicMeetingInfo } from '../../appliance/meetings/meeting-protocol.js';
import { errorText } from '../error-text.js';
import { t } from '../i18n/i18n.js';
import { MicrophoneLevel, type Level } from '../meeting/microphone-level.js';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { LocalizedElement } from './localized-element.js';
import './podium-level-meter.js';

/** How often the level meter reads the microphone. */
const METER_MS = 100;
/** The camera size the meeting sends as its high simulcast layer. */
export const CAMERA_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 30 } };
export const MICROPHONE_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
const NAME_STORAGE_KEY = 'podium.meetingName';

/** The join screen's result for the page: the name, the code and the running tracks. */
export type JoinRequest = {
  name: string;
  accessCode: string;
  camera: MediaStreamTrack | undefined;
  microphone: MediaStreamTrack | undefined;
  cameraId: string;
  microphoneId: string;
};

/**
 * The meeting's join screen with the device check: name, the access code
 * when the meeting has one, a camera preview, a microphone level meter, the
 * choice of camera and microphone, and switches to join with either off.
 * "Beitreten" dispatches "meeting-join" (detail: JoinRequest) and hands the
 * running tracks over to the page.
 */
export class PodiumMeetingJoin extends LocalizedElement {
  static override properties = {
    /** The meeting as the public endpoint describes it. */
    info: { attribute: false },
    /** The error of the last join attempt, already translated. */
    problem: { type: String },
    /** True while the page joins. */
    busy: { type: Boolean },
    cameras: { state: true },
    microphones: { state: true },
    cameraOn: { state: true },
    microphoneOn: { state: true },
    level: { state: true },
    deviceProblem: { state: true },
    opening: { state: true },
  };

  info: PublicMeetingInfo | undefined;
  /** A moderator link needs no access code: its key lets the moderator in. */
  readonly #moderatorLink = new URLSearchParams(location.search).has('moderator');
  problem = '';
  busy = false;
  cameras: MediaDeviceInfo[] = [];
  microphones: MediaDeviceInfo[] = [];
  cameraOn = true;
  microphoneOn = true;
  level: Level = { peakDb: -Infinity, rmsDb: -Infinity };
  deviceProblem = '';
  /** True while the browser opens the devices; joining waits for them. */
  opening = true;
  /** Counts #openDevices() calls, so that only the latest keeps its tracks. */
  #generation = 0;
  #cameraId = '';
  #microphoneId = '';
  #camera: MediaStreamTrack | undefined;
  #microphone: MediaStreamTrack | undefined;
  #meter: MicrophoneLevel | undefined;
  #meterTimer: number | undefined;
  /** True once the tracks went to the page, which stops them from then on. */
  #handedOver = false;

  static override styles = [
    focusStyles,
    formStyles,
    css`
      :host {
        display: block;
      }
      .check {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        gap: 1.5rem;
      }
      @media (max-width: 48rem) {
        .check {
          grid-template-columns: 1fr;
        }
      }
      video,
      .off {
        width: 100%;
        aspect-ratio: 16 / 9;
        background: #030712;
        border-radius: 8px;
      }
      video {
        transform: scaleX(-1);
      }
      .off {
        display: grid;
        place-items: center;
        color: #d1d5db;
      }
      .switches {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 0.75rem;
      }
      button,
      input,
      select {
        color: #f9fafb;
        background: #1f2937;
        border: 2px solid #6b7280;
        border-radius: 8px;
      }
      button[data-on='false'] {
        background: #7f1d1d;
      }
      button[type='submit'] {
        background: #15803d;
        border-color: #15803d;
        font-weight: 700;
      }
      .problem {
        color: #fecaca;
        font-weight: 700;
      }
      .hint {
        color: #d1d5db;
        font-size: 1rem;
        margin: 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#openDevices();
  }

  override disconnectedCallback(): void {
    // Devices still opening end as soon as the browser delivers them.
    this.#generation++;
    this.#stopMeter();
    if (!this.#handedOver) this.#stopTracks();
    super.disconnectedCallback();
  }

  protected override updated(changed: Map<string, unknown>): void {
    // A failed join gives the tracks back: the screen keeps the preview and the meter running.
    if (changed.has('problem') && this.problem && this.#handedOver) {
      this.#handedOver = false;
      this.#startMeter();
    }
  }

  /**
   * Opens the chosen (at first: the default) camera and microphone for the
   * preview and the meter. A later call supersedes an earlier one that is
   * still waiting for the browser, whose tracks then end at once.
   */
  async #openDevices(): Promise<void> {
    const generation = ++this.#generation;

    this.opening = true;
    this.deviceProblem = '';
    this.#stopMeter();
    this.#stopTracks();

    let stream: MediaStream | undefined;

    try {
      if (this.cameraOn || this.microphoneOn) {
        stream = await navigator.mediaDevices.getUserMedia({
          video: this.cameraOn ? { ...CAMERA_CONSTRAINTS, ...(this.#cameraId ? { deviceId: { exact: this.#cameraId } } : {}) } : false,
          audio: this.microphoneOn
            ? { ...MICROPHONE_CONSTRAINTS, ...(this.#microphoneId ? { deviceId: { exact: this.#microphoneId } } : {}) }
            : false,
        });
      }
    } catch (error) {
      if (generation === this.#generation) this.deviceProblem = t('meeting.deviceFailed', { reason: errorText(error) });
    }
    if (generation !== this.#generation) {
      for (const track of stream?.getTracks() ?? []) track.stop();

      return;
    }
    this.#camera = stream?.getVideoTracks()[0];
    this.#microphone = stream?.getAudioTracks()[0];
    this.#cameraId = this.#camera?.getSettings().deviceId ?? this.#cameraId;
    this.#microphoneId = this.#microphone?.getSettings().deviceId ?? this.#microphoneId;
    await this.#listDevices();
    this.#showPreview();
    this.#startMeter();
    this.opening = false;
  }

  #startMeter(): void {
    if (!this.#microphone) return;
    this.#meter = new MicrophoneLevel(this.#microphone);
    this.#meterTimer = window.setInterval(() => (this.level = this.#meter?.read() ?? this.level), METER_MS);
  }

  async #listDevices(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);

    this.cameras = devices.filter((device) => device.kind === 'videoinput' && device.deviceId);
    this.microphones = devices.filter((device) => device.kind === 'audioinput' && device.deviceId);
  }

  #showPreview(): void {
    void this.updateComplete.then(() => {
      const video = this.renderRoot.querySelector<HTMLVideoElement>('video');

      if (!video) return;
      video.srcObject = this.#camera ? new MediaStream([this.#camera]) : null;
      void video.play().catch(() => undefined);
    });
  }

  #stopMeter(): void {
    clearInterval(this.#meterTimer);
    this.#meter?.close();
    this.#meter = undefined;
    this.level = { peakDb: -Infinity, rmsDb: -Infinity };
  }

  #stopTracks(): void {
    this.#camera?.stop();
    this.#microphone?.stop();
    this.#camera = undefined;
    this.#microphone = undefined;
  }

  #choose(kind: 'camera' | 'microphone', deviceId: string): void {
    if (kind === 'camera') this.#cameraId = deviceId;
    else this.#microphoneId = deviceId;
    void this.#openDevices();
  }

  #toggle(kind: 'camera' | 'microphone'): void {
    if (kind === 'camera') this.cameraOn = !this.cameraOn;
    else this.microphoneOn = !this.microphoneOn;
    void this.#openDevices();
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();

    const data = new FormData(event.target as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();

    localStorage.setItem(NAME_STORAGE_KEY, name);
    this.#handedOver = true;
    this.#stopMeter();
    this.problem = '';
    this.dispatchEvent(
      new CustomEvent<JoinRequest>('meeting-join', {
        detail: {
          name,
          accessCode: String(data.get('accessCode') ?? ''),
          camera: this.#camera,
          microphone: this.#microphone,
          cameraId: this.#cameraId,
          microphoneId: this.#microphoneId,
        },
      }),
    );
  }

  #renderSelect(kind: 'camera' | 'microphone', devices: MediaDeviceInfo[], chosen: string) {
    const label = kind === 'camera' ? t('meeting.cameraChoice') : t('meeting.microphoneChoice');

    return html`<label>
      ${label}
      <select data-testid="${kind}-choice" ?disabled=${devices.length === 0} @change=${(event: Event) => this.#choose(kind, (event.target as HTMLSelectElement).value)}>
        ${devices.map(
          (device, index) => html`<option value=${device.deviceId} ?selected=${device.deviceId === chosen}>
            ${device.label || t(kind === 'camera' ? 'meeting.cameraNumber' : 'meeting.microphoneNumber', { number: index + 1 })}
          </option>`,
        )}
      </select>
    </label>`;
  }

  override render() {
    const info = this.info;

    return html`<form @submit=${(event: SubmitEvent) => this.#submit(event)} aria-describedby="join-problem">
      <div class="check">
        <div>
          ${this.cameraOn && this.#camera
            ? html`<video data-testid="join-preview" muted autoplay playsinline aria-label=${t('meeting.preview')}></video>`
            : html`<div class="off" data-testid="join-preview-off">${t('meeting.cameraIsOff')}</div>`}
          <div class="switches">
            <button type="button" data-testid="join-camera" data-on=${String(this.cameraOn)} @click=${() => this.#toggle('camera')}>
              ${this.cameraOn ? t('meeting.stopCamera') : t('meeting.startCamera')}
            </button>
            <button type="button" data-testid="join-microphone" data-on=${String(this.microphoneOn)} @click=${() => this.#toggle('microphone')}>
              ${this.microphoneOn ? t('meeting.muteMicrophone') : t('meeting.unmuteMicrophone')}
            </button>
          </div>
        </div>
        <div class="fields">
          <label>
            ${t('meeting.yourName')}
            <input name="name" data-testid="join-name" required maxlength="60" pattern=".*\\S.*" autocomplete="name" .value=${localStorage.getItem(NAME_STORAGE_KEY) ?? ''} />
          </label>
          ${info?.hasAccessCode && !this.#moderatorLink
            ? html`<label>
                ${t('meeting.accessCode')}
                <input name="accessCode" data-testid="join-code" required maxlength="64" autocomplete="off" />
              </label>`
            : nothing}
          ${this.#renderSelect('camera', this.cameras, this.#cameraId)} ${this.#renderSelect('microphone', this.microphones, this.#microphoneId)}
          <podium-level-meter .peakDb=${this.level.peakDb} .rmsDb=${this.level.rmsDb} label=${t('meeting.micLevel')}></podium-level-meter>
          <p class="hint">${t('meeting.micHint')}</p>
          ${this.deviceProblem ? html`<p class="problem" role="alert" data-testid="join-device-problem">${this.deviceProblem}</p>` : nothing}
          <p class="problem" id="join-problem" role="alert" data-testid="join-problem">${this.problem}</p>
          <button type="submit" data-testid="join-submit" ?disabled=${this.busy || this.opening}>${t('meeting.join')}</button>
        </div>
      </div>
    </form>`;
  }
}

customElements.define('podium-meeting-join', PodiumMeetingJoin);
