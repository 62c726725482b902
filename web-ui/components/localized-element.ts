import { LitElement } from 'lit';
import { onLanguageChange } from '../i18n/i18n.js';

/** Base class of Podium's elements: renders again when the language changes. */
export class LocalizedElement extends LitElement {
  #unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = onLanguageChange(() => {
      this.languageChanged();
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    this.#unsubscribe?.();
    super.disconnectedCallback();
  }

  /** Runs when the page language changes, before the element renders again. Pages set document.title here. */
  protected languageChanged(): void {}
}
