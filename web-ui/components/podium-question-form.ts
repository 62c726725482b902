import { html, css, nothing } from 'lit';
import { focusStyles } from './focus-styles.js';
import { MAX_NAME_LENGTH, MAX_QUESTION_LENGTH } from '../../appliance/signaling/protocol.js';
import { t } from '../i18n/i18n.js';
import type { SignalingClient } from '../signaling-client.js';
import { LocalizedElement } from './localized-element.js';

/**
 * The watch page's form for a question to the hall. The name is optional.
 * The question goes to Podium over the page's signaling connection and
 * appears on the staff console.
 */
export class PodiumQuestionForm extends LocalizedElement {
  static override properties = {
    /** The page's signaling connection, which sends the question. */
    signaling: { attribute: false },
    busy: { state: true },
    status: { state: true },
    error: { state: true },
  };

  signaling: SignalingClient | undefined;
  busy = false;
  /** Confirmation of the last question sent, or empty. */
  status = '';
  /** The last error, or empty. */
  error = '';

  static override styles = [
    focusStyles,
    css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: 0.75rem;
    }
    label {
      display: grid;
      gap: 0.25rem;
    }
    input,
    textarea,
    button {
      font: inherit;
      min-height: 44px;
    }
    button {
      justify-self: start;
      min-width: 44px;
      padding: 0 1.5rem;
      cursor: pointer;
    }
    .error {
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      color: #fff;
      background: #7f1d1d;
    }
  `,
  ];

  async #submit(submitEvent: SubmitEvent): Promise<void> {
    submitEvent.preventDefault();

    const form = submitEvent.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const text = String(data.get('question') ?? '').trim();

    if (!text || !this.signaling) return;
    this.busy = true;
    this.status = '';
    this.error = '';
    try {
      // The display name travels with the connection; joining again updates it.
      await this.signaling.request('join', name ? { page: 'watch', name } : { page: 'watch' });
      await this.signaling.request('askQuestion', { text });
      form.querySelector('textarea')!.value = '';
      this.status = t('question.sent');
    } catch (error) {
      this.error = (error as { code?: string }).code === 'PODIUM_ERR_RATE_LIMITED' ? t('question.tooMany') : t('question.failed');
    } finally {
      this.busy = false;
    }
  }

  /** Sends a changed display name at once, so that a raised hand carries it too. */
  async #rename(input: HTMLInputElement): Promise<void> {
    const name = input.value.trim();

    await this.signaling?.request('join', name ? { page: 'watch', name } : { page: 'watch' }).catch(() => undefined);
  }

  override render() {
    return html`<section aria-labelledby="question-heading">
      <h2 id="question-heading">${t('question.heading')}</h2>
      <form @submit=${(event: SubmitEvent) => void this.#submit(event)}>
        <label>
          ${t('question.name')}
          <input
            name="name"
            maxlength=${MAX_NAME_LENGTH}
            autocomplete="nickname"
            data-testid="question-name"
            @change=${(event: Event) => void this.#rename(event.target as HTMLInputElement)}
          />
        </label>
        <label>
          ${t('question.text')}
          <textarea name="question" required maxlength=${MAX_QUESTION_LENGTH} rows="3" data-testid="question-text"></textarea>
        </label>
        <button type="submit" ?disabled=${this.busy} data-testid="question-submit">${t('question.submit')}</button>
      </form>
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      <p role="status" data-testid="question-status">${this.status}</p>
    </section>`;
  }
}

customElements.define('podium-question-form', PodiumQuestionForm);
