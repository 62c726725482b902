import { html, css, nothing } from 'lit';
import { focusStyles } from './focus-styles.js';
import { api, errorText } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/**
 * The watch page's form for an event's access code. A correct code makes
 * the server set a listener session cookie, and the form then dispatches
 * "access-granted". A wrong code shows an error below the input.
 */
export class PodiumAccessCodeForm extends LocalizedElement {
  static override properties = {
    /** The event the code is for. */
    eventId: { attribute: false },
    busy: { state: true },
    error: { state: true },
    granted: { state: true },
  };

  eventId = '';
  busy = false;
  /** The last error, shown below the input, or empty. */
  error = '';
  granted = false;

  static override styles = [
    focusStyles,
    css`
    :host {
      display: block;
    }
    h2 {
      margin-top: 0;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: end;
    }
    label {
      display: grid;
      gap: 0.25rem;
      flex: 1 1 14rem;
    }
    input,
    button {
      font: inherit;
      min-height: 44px;
    }
    input {
      padding: 0 0.75rem;
      font-family: ui-monospace, monospace;
    }
    button {
      min-width: 44px;
      padding: 0 1.5rem;
      border: none;
      border-radius: 8px;
      color: #fff;
      background: #15803d;
      font-weight: 700;
      cursor: pointer;
    }
    button:disabled {
      background: #4b5563;
    }
    .error {
      margin: 0.75rem 0 0;
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      color: #fff;
      background: #7f1d1d;
    }
  `,
  ];

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  async #submit(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();

    const input = this.renderRoot.querySelector<HTMLInputElement>('input');
    const code = (input?.value ?? '').trim();

    if (!code) return;
    this.busy = true;
    this.error = '';
    try {
      await api.enterAccessCode(this.eventId, code);
      this.granted = true;
      this.dispatchEvent(new CustomEvent('access-granted'));
    } catch (error) {
      this.error = errorText(error);
      input?.select();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    let status = '';

    if (this.busy) status = t('watch.accessCode.busy');
    else if (this.granted) status = t('watch.accessCode.granted');

    return html`<section aria-labelledby="access-heading">
      <h2 id="access-heading">${t('watch.accessCode.heading')}</h2>
      <p id="access-intro">${t('watch.accessCode.intro')}</p>
      <form @submit=${(event: SubmitEvent) => void this.#submit(event)}>
        <label>
          ${t('watch.accessCode.label')}
          <input
            name="code"
            required
            maxlength="64"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            aria-describedby="access-intro access-error"
            aria-invalid=${this.error ? 'true' : 'false'}
            data-testid="access-code-input"
          />
        </label>
        <button type="submit" ?disabled=${this.busy} data-testid="access-code-submit">
          ${t('watch.accessCode.submit')}
        </button>
      </form>
      <div role="alert">${this.error ? html`<p class="error" id="access-error">${this.error}</p>` : nothing}</div>
      <p role="status">${status}</p>
    </section>`;
  }
}

customElements.define('podium-access-code-form', PodiumAccessCodeForm);
