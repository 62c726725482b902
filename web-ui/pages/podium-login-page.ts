import { html, css } from 'lit';
import { api, errorText } from '../api-client.js';
import { LocalizedElement } from '../components/localized-element.js';
import '../components/podium-language-switch.js';
import '../components/podium-notifier.js';
import type { PodiumNotifier } from '../components/podium-notifier.js';
import '../components/podium-privacy-link.js';
import { t } from '../i18n/i18n.js';
import { pageStyles } from './page-styles.js';

/**
 * Returns where to go after signing in: the "next" query parameter when it
 * is a path on this server, else /console. A value such as "//host" or
 * "/\host" would lead to another host, so it falls back too.
 */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');

  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/console';

  return new URL(next, location.origin).origin === location.origin ? next : '/console';
}

/** The staff sign-in page (/login) with one password field. On success it opens the console or the "next" page. */
export class PodiumLoginPage extends LocalizedElement {
  static override properties = {
    /** True while the sign-in request runs. */
    busy: { state: true },
  };

  busy = false;

  static override styles = [
    pageStyles,
    css`
      main {
        max-width: 32rem;
        margin: 0 auto;
        padding: 2rem 1.5rem;
      }
      form {
        display: grid;
        gap: 1rem;
        margin-top: 1.5rem;
      }
      input {
        padding: 0 0.75rem;
      }
      button[type='submit'] {
        border: none;
        border-radius: 8px;
        color: #fff;
        background: #15803d;
        font-weight: 700;
      }
      button[type='submit']:disabled {
        background: #4b5563;
      }
      footer {
        display: flex;
        gap: 1.5rem;
        justify-content: center;
        padding: 1rem 1.5rem;
      }
      a {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        color: #93c5fd;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = t('login.title');
  }

  protected override languageChanged(): void {
    document.title = t('login.title');
  }

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name="password"]')?.focus();
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();

    const form = event.target as HTMLFormElement;
    const password = String(new FormData(form).get('password') ?? '');

    this.busy = true;
    try {
      await api.login(password);
      location.assign(nextPath(location.search));
    } catch (error) {
      this.busy = false;
      this.renderRoot.querySelector<PodiumNotifier>('podium-notifier')?.show(errorText(error));
      form.querySelector('input')?.select();
    }
  }

  override render() {
    return html`
      <header>
        <h1>${t('login.title')}</h1>
        <podium-language-switch></podium-language-switch>
      </header>
      <main>
        <podium-notifier></podium-notifier>
        <h2>${t('login.heading')}</h2>
        <p>${t('login.intro')}</p>
        <form @submit=${(event: SubmitEvent) => void this.#submit(event)}>
          <label>
            ${t('login.password')}
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              maxlength="200"
              data-testid="login-password"
            />
          </label>
          <button type="submit" ?disabled=${this.busy} data-testid="login-submit">${t('login.submit')}</button>
          <p role="status">${this.busy ? t('login.busy') : ''}</p>
        </form>
      </main>
      <footer>
        <a href="/watch">${t('login.watch')}</a>
        <podium-privacy-link></podium-privacy-link>
      </footer>
    `;
  }
}

customElements.define('podium-login-page', PodiumLoginPage);
