import { html, css } from 'lit';
import { language, LANGUAGES, setLanguage, t, type Language } from '../i18n/i18n.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

const NAMES: Record<Language, string> = { de: 'Deutsch', en: 'English' };

/** Lets the reader pick the page language (German or English). */
export class PodiumLanguageSwitch extends LocalizedElement {
  static override styles = [
    focusStyles,
    css`
    select {
      font: inherit;
      min-height: 44px;
      padding: 0 0.5rem;
    }
  `,
  ];

  override render() {
    return html`<label>
      ${t('language.label')}
      <select @change=${(event: Event) => setLanguage((event.target as HTMLSelectElement).value as Language)}>
        ${LANGUAGES.map(
          (code) => html`<option value=${code} lang=${code} ?selected=${code === language()}>${NAMES[code]}</option>`,
        )}
      </select>
    </label>`;
  }
}

customElements.define('podium-language-switch', PodiumLanguageSwitch);
