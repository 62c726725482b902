import { html, css } from 'lit';
import { language, t } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

/** A link to the server-rendered privacy notice (/datenschutz), in the page language. */
export class PodiumPrivacyLink extends LocalizedElement {
  static override styles = [
    focusStyles,
    css`
    a {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
      color: #93c5fd;
    }
    a:focus-visible {
      outline: 3px solid #facc15;
      outline-offset: 2px;
    }
  `,
  ];

  override render() {
    const href = language() === 'en' ? '/datenschutz?lang=en' : '/datenschutz';

    return html`<a href=${href} data-testid="privacy-link">${t('privacy.link')}</a>`;
  }
}

customElements.define('podium-privacy-link', PodiumPrivacyLink);
