import { html, css, nothing } from 'lit';
import type {
  EventSnapshot,
  FloorGuest,
  LobbyGuest,
  MicLevel,
  Notification,
  QuestionInfo,
  RaisedHand,
} from '../../appliance/signaling/protocol.js';
import { api, ApiError, errorText, type StaffEventInfo, type SystemInfo } from '../api-client.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-appliance-info.js';
import '../components/podium-audience-queue.js';
import '../components/podium-device-setup.js';
import '../components/podium-event-form.js';
import '../components/podium-initial-password.js';
import '../components/podium-invite-panel.js';
import '../components/podium-meetings-panel.js';
import '../components/podium-question-list.js';
import '../components/podium-program-panel.js';
import '../components/podium-ptz-panel.js';
import '../components/podium-recording-panel.js';
import '../components/podium-restream-panel.js';
import '../components/podium-status-panel.js';
import '../components/podium-language-switch.js';
import '../components/podium-level-meter.js';
import '../components/podium-notifier.js';
import type { PodiumNotifier } from '../components/podium-notifier.js';
import { ERROR_EVENT } from '../components/report-error.js';
import { certificateAlarm } from '../certificate-alarm.js';
import { withEnglishReason } from '../i18n/english-reason.js';
import { formatDateTime, formatShortDateTime, t } from '../i18n/i18n.js';
import { SignalingClient } from '../signaling-client.js';
import { formatElapsed } from '../format-duration.js';
import { pageStyles } from './page-styles.js';

/** How long the Stop button waits for the confirming second tap. */
const STOP_CONFIRM_MS = 5000;

/** How often the console reads the PTZ camera's status. */
const PTZ_POLL_MS = 2000;

/**
 * The staff console (/console) for a 1280x800 touchscreen. It shows the
 * current event with its state, one large Start/Stop button (Stop needs a
 * second tap), the microphone level, the elapsed live time, the viewers,
 * each output's state and the event's invitations. The event list, a form
 * for new events and the appliance's HTTPS details sit beside it.
 */
export class PodiumConsolePage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    events: { state: true },
    level: { state: true },
    connected: { state: true },
    busy: { state: true },
    now: { state: true },
    system: { state: true },
    questions: { state: true },
    hands: { state: true },
    floorGuest: { state: true },
    guests: { state: true },
    ptz: { state: true },
    initialPassword: { state: true },
    confirmingStop: { state: true },
    setupOpen: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  events: StaffEventInfo[] = [];
  level: MicLevel = { peakDb: -Infinity, rmsDb: -Infinity };
  connected = false;
  busy = false;
  now = Date.now();
  system: SystemInfo | undefined;
  /** The current event's questions, oldest first. */
  questions: QuestionInfo[] = [];
  /** Raised hands of the audience. */
  hands: RaisedHand[] = [];
  /** The listener invited or on stage, from the "floor" notification. */
  floorGuest: FloorGuest | null = null;
  /** Listeners waiting in the current event's lobby. */
  guests: LobbyGuest[] = [];
  /** The connected PTZ camera's profile and commands; none while no camera is connected. */
  ptz: { profileName: string; commands: string[]; connected: boolean; simulated: boolean } | undefined;
  /** The generated first staff password while its dialog is open. */
  initialPassword: string | undefined;
  /** True after the first tap on Stop, until the second tap or STOP_CONFIRM_MS later. */
  confirmingStop = false;
  /** True while the camera and microphone setup is open; Podium runs previews and meters only then. */
  setupOpen = false;

  readonly #signaling = new SignalingClient('console');
  #clock: number | undefined;
  /** Reads the PTZ camera's status every PTZ_POLL_MS, because a camera may be plugged in or out at any time. */
  #ptzPoll: number | undefined;
  /** The configured PTZ camera kind, from the last status; "none" stops the polling. */
  #ptzCamera = 'none';
  #confirmTimer: number | undefined;

  static override styles = [
    pageStyles,
    css`
      main {
        display: grid;
        grid-template-columns: 3fr 2fr;
        gap: 1.5rem;
        padding: 1.5rem;
      }
      /* One column on narrow screens and at 200 % zoom, so that nothing scrolls sideways. */
      @media (max-width: 48rem) {
        main {
          grid-template-columns: 1fr;
        }
      }
      .state {
        display: inline-block;
        padding: 0.25rem 0.75rem;
        border-radius: 999px;
        font-weight: 700;
        background: #374151;
      }
      .state.live {
        background: #b91c1c;
      }
      .state.failed {
        background: #92400e;
      }
      .alarm {
        margin: 0.5rem 0;
        padding: 0.75rem 1rem;
        border-radius: 8px;
        font-weight: 700;
        color: #fff;
        background: #92400e;
      }
      .details {
        font-size: 0.875rem;
        color: #d1d5db;
      }
      .warning {
        margin: 0.5rem 0;
        padding: 0.75rem 1rem;
        border-radius: 8px;
        border: 2px solid #92400e;
        color: #1f2937;
        background: #fef3c7;
      }
      .main-button {
        width: 100%;
        min-height: 120px;
        font-size: 2.5rem;
        font-weight: 700;
        border: none;
        border-radius: 12px;
        color: #fff;
        background: #15803d;
        margin: 1rem 0;
      }
      .main-button.stop {
        background: #b91c1c;
      }
      .main-button.confirm {
        background: #7f1d1d;
        outline: 6px solid #fca5a5;
        outline-offset: -6px;
      }
      .main-button:disabled {
        background: #4b5563;
      }
      .confirm-hint {
        min-height: 1.5em;
        margin: 0;
        font-weight: 700;
      }
      header .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: center;
      }
      .setup {
        grid-column: 1 / -1;
      }
      .column {
        display: grid;
        gap: 1.5rem;
        align-content: start;
        min-width: 0;
      }
      .access-code {
        font-family: ui-monospace, monospace;
        font-weight: 700;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.5rem 1rem;
      }
      dt {
        color: #d1d5db;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      ul {
        list-style: none;
        padding: 0;
      }
      li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
        padding: 0.5rem 0;
        border-bottom: 1px solid #374151;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('console.title');
    this.#signaling.addEventListener('open', (event) => {
      this.connected = true;
      this.snapshot = (event as CustomEvent<{ snapshot: EventSnapshot }>).detail.snapshot;
      void this.#loadEvents();
      void this.#loadQuestions();
      void this.#loadPtz();
    });
    this.#signaling.addEventListener('close', () => {
      this.connected = false;
      this.#cancelStopConfirmation();
    });
    this.#signaling.addEventListener('notification', (event) => {
      this.#onNotification((event as CustomEvent<Notification>).detail);
    });
    this.#signaling.connect();
    this.#clock = window.setInterval(() => (this.now = Date.now()), 1000);
    this.#ptzPoll = window.setInterval(() => {
      if (this.connected && this.#ptzCamera !== 'none') void this.#loadPtz();
    }, PTZ_POLL_MS);
    this.addEventListener(ERROR_EVENT, (event) => this.#showError((event as CustomEvent<unknown>).detail));
    void this.#loadSystem();
  }

  override disconnectedCallback(): void {
    this.#signaling.close();
    clearInterval(this.#clock);
    clearInterval(this.#ptzPoll);
    this.#cancelStopConfirmation();
    super.disconnectedCallback();
  }

  protected override languageChanged(): void {
    document.title = t('console.title');
  }

  #onNotification(message: Notification): void {
    if (message.type === 'eventState') {
      const previousState = this.snapshot?.event?.state;
      const previousId = this.snapshot?.event?.id;

      this.snapshot = message.data;
      if (previousState !== message.data.event?.state) {
        this.#cancelStopConfirmation();
        void this.#loadEvents();
      }
      if (previousId !== message.data.event?.id) void this.#loadQuestions();
      if (previousState !== message.data.event?.state) void this.#loadPtz();
    } else if (message.type === 'micLevel') {
      this.level = message.data;
    } else if (
      (message.type === 'questionAdded' || message.type === 'questionUpdated') &&
      message.data.eventId === this.snapshot?.event?.id
    ) {
      const changed = message.data;

      this.questions = [...this.questions.filter((question) => question.id !== changed.id), changed];
    } else if (message.type === 'hands') {
      this.hands = message.data.hands;
    } else if (message.type === 'lobby') {
      this.guests = message.data.guests;
    } else if (message.type === 'floor') {
      this.floorGuest = message.data.guest;
    }
  }

  async #loadPtz(): Promise<void> {
    try {
      const status = await api.ptzStatus();

      this.#ptzCamera = status.camera;
      // The simulated camera exists only while its event is live; a real one is shown also while unplugged.
      this.ptz =
        status.connected || (status.camera !== 'none' && status.camera !== 'simulated')
          ? {
              profileName: status.profileName ?? '',
              commands: status.capabilities?.commands ?? [],
              connected: status.connected,
              simulated: status.camera === 'simulated',
            }
          : undefined;
    } catch (error) {
      this.#showError(error);
    }
  }

  async #loadQuestions(): Promise<void> {
    const eventId = this.snapshot?.event?.id;

    if (!eventId) {
      this.questions = [];

      return;
    }
    try {
      this.questions = await api.listQuestions(eventId);
    } catch (error) {
      this.#showError(error);
    }
  }

  async #loadEvents(): Promise<void> {
    await this.#run(async () => {
      this.events = await api.listEvents();
    });
  }

  async #loadSystem(): Promise<void> {
    try {
      this.system = await api.system();
      this.initialPassword = this.system.initialStaffPassword ?? undefined;
    } catch (error) {
      this.#showError(error);
    }
  }

  /** Shows a failed action in the notifier. An expired staff session (HTTP 401) opens the login page instead. */
  #showError(error: unknown): void {
    if (error instanceof ApiError && error.status === 401) {
      location.assign('/login?next=/console');

      return;
    }
    this.renderRoot.querySelector<PodiumNotifier>('podium-notifier')?.show(errorText(error));
  }

  /** Runs a staff action and shows its error, if any, in the notifier. */
  async #run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await action();
    } catch (error) {
      this.#showError(error);
    } finally {
      this.busy = false;
    }
  }

  #cancelStopConfirmation(): void {
    clearTimeout(this.#confirmTimer);
    this.confirmingStop = false;
  }

  /**
   * Starts the event, or stops it on the second tap within STOP_CONFIRM_MS,
   * so that one stray touch cannot end a broadcast.
   */
  #startOrStop(): void {
    const event = this.snapshot?.event;

    if (!event) return;
    if (event.state !== 'live' && event.state !== 'starting') {
      void this.#run(() => api.startEvent(event.id));

      return;
    }
    if (!this.confirmingStop) {
      this.confirmingStop = true;
      this.#confirmTimer = window.setTimeout(() => (this.confirmingStop = false), STOP_CONFIRM_MS);

      return;
    }
    this.#cancelStopConfirmation();
    void this.#run(() => api.stopEvent(event.id));
  }

  async #onEventCreated(created: StaffEventInfo): Promise<void> {
    await this.#run(async () => {
      await api.selectEvent(created.id);
      this.events = await api.listEvents();
    });
  }

  async #logout(): Promise<void> {
    await this.#run(async () => {
      await api.logout();
      location.assign('/login');
    });
  }

  #renderCurrent() {
    const snapshot = this.snapshot;
    const event = snapshot?.event;

    if (!snapshot || !event) return html`<p>${t('console.noEvent')}</p>`;

    // Without the signaling connection the last snapshot may be stale: show no state and offer no action.
    const known = this.connected;
    const running = event.state === 'live' || event.state === 'starting';
    const canStart = event.state === 'ready' || event.state === 'failed';
    const confirming = this.confirmingStop && running && known;
    const elapsed =
      known && event.liveSince && event.state === 'live' ? formatElapsed(this.now - Date.parse(event.liveSince)) : '–';
    const accessCode = this.events.find((candidate) => candidate.id === event.id)?.accessCode;
    const buttonClass = ['main-button', running ? 'stop' : '', confirming ? 'confirm' : ''].join(' ');
    let buttonLabel = t('console.start');

    if (confirming) buttonLabel = t('console.stopConfirm');
    else if (running) buttonLabel = t('console.stop');

    return html`
      <h2 id="event-title">${event.title}</h2>
      <p>${formatDateTime(event.startsAt)}</p>
      <p>
        <span class="state ${known ? event.state : 'unknown'}" data-testid="event-state" aria-live="polite">
          ${known ? t(`state.${event.state}`) : t('state.unknown')}
        </span>
      </p>
      ${event.failureCode
        ? html`<p role="status" data-testid="failure">${t(`failure.${event.failureCode}`)}</p>`
        : nothing}
      ${event.failureReason
        ? html`<p class="details" lang="en" data-testid="failure-details">
            ${t('console.failureReason', { reason: event.failureReason })}
          </p>`
        : nothing}
      <div role="alert">
        ${snapshot.roomRebuilding
          ? html`<p class="alarm" data-testid="room-rebuilding">${withEnglishReason('room.rebuilding', snapshot.roomRebuilding)}</p>`
          : nothing}
        ${snapshot.hlsFailure
          ? html`<p class="alarm" data-testid="hls-failure">${t('console.hlsFailure', { reason: snapshot.hlsFailure })}</p>`
          : nothing}
        ${snapshot.venue?.camera === 'disconnected'
          ? html`<p class="alarm" data-testid="camera-disconnected">${t('venue.cameraDisconnected')}</p>`
          : nothing}
        ${snapshot.venue?.slowCamera
          ? html`<p class="warning" data-testid="camera-slow">${t('venue.cameraSlow', snapshot.venue.slowCamera)}</p>`
          : nothing}
        ${snapshot.venue?.microphone === 'disconnected'
          ? html`<p class="alarm" data-testid="microphone-disconnected">${t('venue.microphoneDisconnected')}</p>`
          : nothing}
        ${(snapshot.restreams ?? [])
          .filter((restream) => restream.state === 'failed' || (restream.state === 'connecting' && restream.reason))
          .map(
            (restream) => html`<p class="alarm" data-testid="restream-alarm">
              ${withEnglishReason('restream.alarm', restream.reason ?? '–', { name: restream.name })}
            </p>`,
          )}
        ${[snapshot.venue?.cameraProblem, snapshot.venue?.microphoneProblem].map((problem) =>
          problem ? html`<p class="alarm" data-testid="device-problem">${withEnglishReason('venue.deviceProblem', problem)}</p>` : nothing,
        )}
      </div>
      <button
        class=${buttonClass}
        data-testid="start-stop"
        ?disabled=${!known || this.busy || (!running && !canStart)}
        @click=${() => this.#startOrStop()}
      >
        ${buttonLabel}
      </button>
      <p class="confirm-hint" role="status">${confirming ? t('console.stopConfirmHint') : ''}</p>
      <dl>
        <dt>${t('console.elapsed')}</dt>
        <dd data-testid="elapsed">${elapsed}</dd>
        <dt>${t('console.viewers')}</dt>
        <dd data-testid="viewers">${known ? snapshot.viewers : '–'}</dd>
        <dt>${t('console.micLevel')}</dt>
        <dd><podium-level-meter .peakDb=${this.level.peakDb} .rmsDb=${this.level.rmsDb} label=${t('console.micLevel')}></podium-level-meter></dd>
        ${snapshot.outputs && known
          ? html`<dt>${t('output.room')}</dt>
              <dd data-testid="output-room">${t(`output.${snapshot.outputs.room}`)}</dd>
              <dt>${t('output.hls')}</dt>
              <dd data-testid="output-hls">${t(`output.${snapshot.outputs.hls}`)}</dd>`
          : nothing}
      </dl>
      <p>${t('console.watchLink', { url: `${this.system?.httpsOrigin ?? location.origin}/watch` })}</p>
      ${accessCode
        ? html`<p>
            ${t('console.accessCode')}: <span class="access-code" data-testid="event-access-code">${accessCode}</span>
          </p>`
        : nothing}
    `;
  }

  /** The alarm for an HTTPS certificate that has expired or expires soon, with the fix; nothing otherwise. */
  #renderCertificateAlarm() {
    const tls = this.system?.tls;
    const alarm = tls ? certificateAlarm(tls.validTo, this.now) : null;

    if (!tls || !alarm) return nothing;

    const date = formatShortDateTime(new Date(tls.validTo).toISOString());
    const reason = alarm.kind === 'expired' ? t('certificate.expired', { date }) : t('certificate.expiring', { date });
    const fix = tls.selfSigned ? t('certificate.fixSelfSigned') : t('certificate.fixConfigured');

    return html`<p class=${alarm.kind === 'expired' ? 'alarm' : 'warning'} data-testid="certificate-alarm" data-kind=${alarm.kind}>
      ${reason} ${fix}
    </p>`;
  }

  #renderEvents() {
    const currentId = this.snapshot?.event?.id;
    const locked = this.snapshot?.event?.state === 'live' || this.snapshot?.event?.state === 'starting';

    return html`
      <h2>${t('console.events')}</h2>
      <ul>
        ${this.events.map(
          (event) => html`<li>
            <span>
              ${event.title}<br />
              <small>
                ${formatDateTime(event.startsAt)} · ${t(`state.${event.state}`)}${event.hasAccessCode
                  ? ` · ${t('console.hasAccessCode')}`
                  : ''}
              </small>
            </span>
            ${event.id === currentId
              ? html`<strong>${t('console.selected')}</strong>`
              : html`<button ?disabled=${locked || this.busy} @click=${() => void this.#run(() => api.selectEvent(event.id))}>
                  ${t('console.select')}
                </button>`}
          </li>`,
        )}
      </ul>
      <podium-event-form
        .keepTextsDefault=${this.system?.keepTextsDefault ?? false}
        @event-created=${(event: CustomEvent<StaffEventInfo>) => void this.#onEventCreated(event.detail)}
      ></podium-event-form>
    `;
  }

  override render() {
    const currentId = this.snapshot?.event?.id;

    return html`
      <header>
        <h1>${t('console.title')}</h1>
        <div class="actions">
          <button data-testid="open-setup" aria-expanded=${this.setupOpen ? 'true' : 'false'} @click=${() => (this.setupOpen = !this.setupOpen)}>
            ${this.setupOpen ? t('setup.close') : t('setup.open')}
          </button>
          <podium-language-switch></podium-language-switch>
          <button data-testid="logout" @click=${() => void this.#logout()}>${t('console.logout')}</button>
        </div>
      </header>
      ${this.connected ? nothing : html`<p class="banner" role="status">${t('connection.lost')}</p>`}
      <podium-notifier></podium-notifier>
      <main>
        ${this.setupOpen
          ? html`<section class="setup" aria-labelledby="setup-heading">
              <h2 id="setup-heading">${t('setup.heading')}</h2>
              <podium-device-setup></podium-device-setup>
            </section>`
          : nothing}
        <div class="column">
          <section aria-labelledby="current-heading">
            <h2 id="current-heading" class="visually-hidden">${t('console.currentEvent')}</h2>
            <div role="alert">${this.#renderCertificateAlarm()}</div>
            ${this.#renderCurrent()}
          </section>
          ${this.snapshot?.program
            ? html`<podium-program-panel .status=${this.snapshot.program}></podium-program-panel>`
            : nothing}
          ${this.ptz
            ? html`<podium-ptz-panel
                .commands=${this.ptz.commands}
                .profileName=${this.ptz.profileName}
                .connected=${this.ptz.connected}
                .simulated=${this.ptz.simulated}
              ></podium-ptz-panel>`
            : nothing}
          ${this.snapshot?.recording
            ? html`<podium-recording-panel
                .status=${this.snapshot.recording}
                .live=${this.snapshot.event?.state === 'live'}
              ></podium-recording-panel>`
            : nothing}
          ${currentId
            ? html`<podium-question-list .eventId=${currentId} .questions=${this.questions}></podium-question-list>
                <podium-audience-queue
                  .eventId=${currentId}
                  .lobbyEnabled=${this.snapshot?.event?.hasLobby ?? false}
                  .hands=${this.hands}
                  .floorGuest=${this.floorGuest}
                  .guests=${this.guests}
                ></podium-audience-queue>`
            : nothing}
          ${currentId ? html`<podium-invite-panel .eventId=${currentId}></podium-invite-panel>` : nothing}
          ${currentId
            ? html`<podium-restream-panel
                .eventId=${currentId}
                .statuses=${this.snapshot?.restreams ?? []}
              ></podium-restream-panel>`
            : nothing}
        </div>
        <div class="column">
          <section>${this.#renderEvents()}</section>
          <podium-meetings-panel></podium-meetings-panel>
          <podium-status-panel></podium-status-panel>
          <podium-appliance-info .system=${this.system}></podium-appliance-info>
        </div>
      </main>
      ${this.initialPassword
        ? html`<podium-initial-password
            .password=${this.initialPassword}
            @dismiss=${() => (this.initialPassword = undefined)}
          ></podium-initial-password>`
        : nothing}
    `;
  }
}

customElements.define('podium-console-page', PodiumConsolePage);
