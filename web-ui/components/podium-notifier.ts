import { html, css } from 'lit';
import { t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

/**
 * Shows errors to the user: the one place where a page reports a failed
 * action. Messages are announced to screen readers.
 */
export class PodiumNotifier extends LocalizedElement {
  static override properties = {
    /** The messages on screen, oldest first. */
    messages: { state: true },
  };

  messages: string[] = [];

  static override styles = [
    focusStyles,
    css`
    .message {
      display: flex;
      gap: 1rem;
      align-items: center;
      justify-content: space-between;
      background: #7f1d1d;
      color: #fff;
      padding: 0.75rem 1rem;
      border-radius: 6px;
      margin-bottom: 0.5rem;
    }
    button {
      flex: none;
      font: inherit;
      min-height: 44px;
      min-width: 44px;
      padding: 0 1rem;
    }
  `,
  ];

  /** Shows one error message until the user closes it. */
  show(message: string): void {
    // A message already shown is not stacked again (a burst of rejected requests shows one).
    if (this.messages.includes(message)) return;
    this.messages = [...this.messages, message].slice(-3);
  }

  override render() {
    return html`<div role="alert">
      ${this.messages.map(
        (message, index) => html`<div class="message">
          <span><strong>${t('error.title')}:</strong> ${message}</span>
          <button @click=${() => (this.messages = this.messages.filter((_, i) => i !== index))}>
            ${t('error.dismiss')}
          </button>
        </div>`,
      )}
    </div>`;
  }
}

customElements.define('podium-notifier', PodiumNotifier);
