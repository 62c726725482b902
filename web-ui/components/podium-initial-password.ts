import { html, css } from 'lit';
import { focusStyles } from './focus-styles.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/**
 * A modal dialog with the staff password Podium generated on its first
 * start. The server returns the password once, so the dialog stays open
 * until staff confirm with its button that they have written it down. The
 * element then dispatches "dismiss".
 */
export class PodiumInitialPassword extends LocalizedElement {
  static override properties = {
    /** The generated staff password. */
    password: { type: String },
  };

  password = '';

  static override styles = [
    focusStyles,
    css`
    dialog {
      max-width: 40rem;
      padding: 1.5rem 2rem;
      border: 4px solid #facc15;
      border-radius: 12px;
      color: #f9fafb;
      background: #1f2937;
      font-size: 1.25rem;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 70%);
    }
    h2 {
      margin-top: 0;
    }
    .password {
      display: block;
      margin: 1rem 0;
      padding: 0.75rem 1rem;
      font-family: ui-monospace, monospace;
      font-size: 2rem;
      letter-spacing: 0.05em;
      word-break: break-all;
      user-select: all;
      color: #fff;
      background: #030712;
      border-radius: 8px;
    }
    button {
      font: inherit;
      min-height: 44px;
      padding: 0 1.5rem;
      border: none;
      border-radius: 8px;
      color: #fff;
      background: #15803d;
      font-weight: 700;
      cursor: pointer;
    }
  `,
  ];

  protected override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  #dismiss(): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.dispatchEvent(new CustomEvent('dismiss'));
  }

  override render() {
    // Escape could close the dialog, and lose the password, by accident, so only the button closes it.
    return html`<dialog
      aria-labelledby="initial-password-heading"
      aria-describedby="initial-password-note"
      @cancel=${(event: Event) => event.preventDefault()}
    >
      <h2 id="initial-password-heading">${t('initialPassword.heading')}</h2>
      <p>${t('initialPassword.intro')}</p>
      <code class="password" data-testid="initial-password">${this.password}</code>
      <p id="initial-password-note"><strong>${t('initialPassword.writeDown')}</strong></p>
      <button data-testid="initial-password-dismiss" @click=${() => this.#dismiss()}>${t('initialPassword.dismiss')}</button>
    </dialog>`;
  }
}

customElements.define('podium-initial-password', PodiumInitialPassword);
