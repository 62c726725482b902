import { html, css } from 'lit';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { api, type NewEvent } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';
import { reportError } from './report-error.js';

/**
 * The server's access code rule (^[A-Za-z0-9-]{4,32}$) as an HTML pattern.
 * Browsers compile patterns with the v flag, which needs the hyphen escaped.
 */
const ACCESS_CODE_PATTERN = '[A-Za-z0-9\\-]{4,32}';

/**
 * The console's form for a new event: title, description, start, an
 * optional access code for viewers and whether questions, names and chat
 * are kept after the event. It creates the event itself and dispatches
 * "event-created" (detail: the event) or "podium-error".
 */
export class PodiumEventForm extends LocalizedElement {
  static override properties = {
    /** True while the create request runs. */
    busy: { state: true },
    /** Initial state of the keep-texts checkbox: the appliance's privacy.keepQuestions. */
    keepTextsDefault: { type: Boolean },
  };

  busy = false;
  keepTextsDefault = false;

  static override styles = [
    focusStyles,
    formStyles,
    css`
    label.check {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      min-height: 44px;
    }
    label.check input {
      width: 28px;
      height: 28px;
      min-height: 0;
      margin: 0;
      flex: none;
    }
    .hint {
      margin: 0;
      font-size: 1rem;
      color: #d1d5db;
    }
  `,
  ];

  async #submit(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();

    const form = submitEvent.target as HTMLFormElement;
    const data = new FormData(form);
    const accessCode = String(data.get('accessCode') ?? '').trim();
    // The checkbox always sends its value, so an unchecked box means "delete", whatever the server's default is.
    const event: NewEvent = {
      title: String(data.get('title') ?? ''),
      description: String(data.get('description') ?? ''),
      startsAt: new Date(String(data.get('startsAt'))).toISOString(),
      keepTexts: data.get('keepTexts') === 'on',
      lobby: data.get('lobby') === 'on',
      ...(accessCode ? { accessCode } : {}),
    };

    this.busy = true;
    try {
      const created = await api.createEvent(event);

      form.reset();
      this.dispatchEvent(new CustomEvent('event-created', { detail: created }));
    } catch (error) {
      reportError(this, error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section aria-labelledby="new-event-heading">
      <h2 id="new-event-heading">${t('console.newEvent')}</h2>
      <form @submit=${(event: SubmitEvent) => void this.#submit(event)}>
        <label>${t('console.form.title')}<input name="title" required maxlength="200" pattern=".*\\S.*" /></label>
        <label>${t('console.form.description')}<textarea name="description" maxlength="4000"></textarea></label>
        <label>${t('console.form.startsAt')}<input name="startsAt" type="datetime-local" required /></label>
        <label>
          ${t('console.form.accessCode')}
          <input
            name="accessCode"
            pattern=${ACCESS_CODE_PATTERN}
            maxlength="32"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="access-code-hint"
            title=${t('console.form.accessCodeHint')}
            data-testid="new-event-access-code"
          />
        </label>
        <p class="hint" id="access-code-hint">${t('console.form.accessCodeHint')}</p>
        <label class="check">
          <input name="keepTexts" type="checkbox" ?checked=${this.keepTextsDefault} aria-describedby="keep-texts-hint" data-testid="new-event-keep-texts" />
          ${t('console.form.keepTexts')}
        </label>
        <p class="hint" id="keep-texts-hint">${t('console.form.keepTextsHint')}</p>
        <label class="check">
          <input name="lobby" type="checkbox" data-testid="new-event-lobby" />
          ${t('console.form.lobby')}
        </label>
        <button type="submit" ?disabled=${this.busy}>${t('console.form.create')}</button>
      </form>
    </section>`;
  }
}

customElements.define('podium-event-form', PodiumEventForm);
