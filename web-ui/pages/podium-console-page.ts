import { html, css, nothing } from 'lit';
import type { EventInfo, EventSnapshot, MicLevel, Notification } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import '../components/podium-level-meter.js';
import '../components/podium-notifier.js';
import type { PodiumNotifier } from '../components/podium-notifier.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { SignalingClient } from '../signaling-client.js';
import { pageStyles } from './page-styles.js';

function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;

  return [hours, minutes, seconds].map((part) => String(part).padStart(2, '0')).join(':');
}

/**
 * The staff console (/console) for a 1280x800 touchscreen. It shows the
 * current event with its state, one large Start/Stop button, the microphone
 * level, the elapsed live time, the viewers and each output's state. The
 * event list and a form for new events sit beside it.
 */
export class PodiumConsolePage extends LocalizedElement {
  static override properties = {
    snapshot: { state: true },
    events: { state: true },
    level: { state: true },
    connected: { state: true },
    busy: { state: true },
    now: { state: true },
  };

  snapshot: EventSnapshot | undefined;
  events: EventInfo[] = [];
  level: MicLevel = { peakDb: -Infinity, rmsDb: -Infinity };
  connected = false;
  busy = false;
  now = Date.now();

  readonly #signaling = new SignalingClient('console');
  #clock: number | undefined;

  static override styles = [
    pageStyles,
    css`
      main {
        display: grid;
        grid-template-columns: 3fr 2fr;
        gap: 1.5rem;
        padding: 1.5rem;
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
      .main-button:disabled {
        background: #4b5563;
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
      form {
        display: grid;
        gap: 0.5rem;
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
    });
    this.#signaling.addEventListener('close', () => (this.connected = false));
    this.#signaling.addEventListener('notification', (event) => {
      this.#onNotification((event as CustomEvent<Notification>).detail);
    });
    this.#signaling.connect();
    this.#clock = window.setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    this.#signaling.close();
    clearInterval(this.#clock);
    super.disconnectedCallback();
  }

  #onNotification(message: Notification): void {
    if (message.type === 'eventState') {
      const previousState = this.snapshot?.event?.state;

      this.snapshot = message.data;
      if (previousState !== message.data.event?.state) void this.#loadEvents();
    } else if (message.type === 'micLevel') {
      this.level = message.data;
    }
  }

  async #loadEvents(): Promise<void> {
    await this.#run(async () => {
      this.events = await api.listEvents();
    });
  }

  /** Runs a staff action and shows its error, if any, in the notifier. */
  async #run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await action();
    } catch (error) {
      this.renderRoot.querySelector<PodiumNotifier>('podium-notifier')?.show((error as Error).message);
    } finally {
      this.busy = false;
    }
  }

  #startOrStop(): void {
    const event = this.snapshot?.event;

    if (!event) return;
    if (event.state === 'live' || event.state === 'starting') void this.#run(() => api.stopEvent(event.id));
    else void this.#run(() => api.startEvent(event.id));
  }

  async #create(formEvent: SubmitEvent): Promise<void> {
    formEvent.preventDefault();

    const form = formEvent.target as HTMLFormElement;
    const data = new FormData(form);

    await this.#run(async () => {
      const created = await api.createEvent({
        title: String(data.get('title') ?? ''),
        description: String(data.get('description') ?? ''),
        startsAt: new Date(String(data.get('startsAt'))).toISOString(),
      });

      form.reset();
      await api.selectEvent(created.id);
      this.events = await api.listEvents();
    });
  }

  #renderCurrent() {
    const snapshot = this.snapshot;
    const event = snapshot?.event;

    if (!snapshot || !event) return html`<p>${t('console.noEvent')}</p>`;

    const running = event.state === 'live' || event.state === 'starting';
    const canStart = event.state === 'ready' || event.state === 'failed';
    const elapsed = event.liveSince && event.state === 'live' ? formatElapsed(this.now - Date.parse(event.liveSince)) : '–';

    return html`
      <h2 id="event-title">${event.title}</h2>
      <p>${formatDateTime(event.startsAt)}</p>
      <p>
        <span class="state ${event.state}" data-testid="event-state" aria-live="polite">
          ${t(`state.${event.state}`)}
        </span>
      </p>
      ${event.failureReason ? html`<p role="status">${t('console.failureReason', { reason: event.failureReason })}</p>` : nothing}
      <button
        class="main-button ${running ? 'stop' : ''}"
        data-testid="start-stop"
        ?disabled=${this.busy || (!running && !canStart)}
        @click=${() => this.#startOrStop()}
      >
        ${running ? t('console.stop') : t('console.start')}
      </button>
      <dl>
        <dt>${t('console.elapsed')}</dt>
        <dd data-testid="elapsed">${elapsed}</dd>
        <dt>${t('console.viewers')}</dt>
        <dd data-testid="viewers">${snapshot.viewers}</dd>
        <dt>${t('console.micLevel')}</dt>
        <dd><podium-level-meter .peakDb=${this.level.peakDb} .rmsDb=${this.level.rmsDb} label=${t('console.micLevel')}></podium-level-meter></dd>
        ${snapshot.outputs
          ? html`<dt>${t('output.room')}</dt>
              <dd data-testid="output-room">${t(`output.${snapshot.outputs.room}`)}</dd>
              <dt>${t('output.hls')}</dt>
              <dd data-testid="output-hls">${t(`output.${snapshot.outputs.hls}`)}</dd>`
          : nothing}
      </dl>
      <p>${t('console.watchLink', { url: `${location.origin}/watch` })}</p>
    `;
  }

  #renderEvents() {
    const currentId = this.snapshot?.event?.id;
    const locked = this.snapshot?.event?.state === 'live' || this.snapshot?.event?.state === 'starting';

    return html`
      <h2>${t('console.events')}</h2>
      <ul>
        ${this.events.map(
          (event) => html`<li>
            <span>${event.title}<br /><small>${formatDateTime(event.startsAt)} · ${t(`state.${event.state}`)}</small></span>
            ${event.id === currentId
              ? html`<strong>${t('console.selected')}</strong>`
              : html`<button ?disabled=${locked || this.busy} @click=${() => void this.#run(() => api.selectEvent(event.id))}>
                  ${t('console.select')}
                </button>`}
          </li>`,
        )}
      </ul>
      <h2>${t('console.newEvent')}</h2>
      <form @submit=${(event: SubmitEvent) => void this.#create(event)}>
        <label>${t('console.form.title')}<input name="title" required maxlength="200" /></label>
        <label>${t('console.form.description')}<textarea name="description" maxlength="4000"></textarea></label>
        <label>${t('console.form.startsAt')}<input name="startsAt" type="datetime-local" required /></label>
        <button type="submit" ?disabled=${this.busy}>${t('console.form.create')}</button>
      </form>
    `;
  }

  override render() {
    return html`
      <header>
        <h1>${t('console.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      ${this.connected ? nothing : html`<p class="banner" role="status">${t('connection.lost')}</p>`}
      <podium-notifier></podium-notifier>
      <main>
        <section aria-labelledby="current-heading">
          <h2 id="current-heading" class="visually-hidden">${t('console.currentEvent')}</h2>
          ${this.#renderCurrent()}
        </section>
        <section>${this.#renderEvents()}</section>
      </main>
    `;
  }
}

customElements.define('podium-console-page', PodiumConsolePage);
