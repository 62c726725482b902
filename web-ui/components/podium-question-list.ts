import { html, css, nothing } from 'lit';
import type { QuestionInfo } from '../../appliance/signaling/protocol.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from './localized-element.js';

/** The console's list of the audience's questions, newest first, shown as plain text. */
export class PodiumQuestionList extends LocalizedElement {
  static override properties = {
    /** The questions of the current event, oldest first. */
    questions: { attribute: false },
  };

  questions: QuestionInfo[] = [];

  static override styles = css`
    :host {
      display: block;
    }
    ol {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    li {
      padding: 0.5rem 0;
      border-bottom: 1px solid #374151;
      overflow-wrap: anywhere;
    }
    .author {
      color: #d1d5db;
      font-size: 0.95rem;
    }
  `;

  override render() {
    const newestFirst = [...this.questions].reverse();

    return html`<section aria-labelledby="questions-heading">
      <h2 id="questions-heading">${t('question.listHeading', { count: this.questions.length })}</h2>
      ${newestFirst.length === 0 ? html`<p>${t('question.none')}</p>` : nothing}
      <ol aria-live="polite" data-testid="question-list">
        ${newestFirst.map(
          (question) => html`<li data-testid="question">
            <div class="text">${question.text}</div>
            <div class="author">${question.author ?? t('question.anonymous')}</div>
          </li>`,
        )}
      </ol>
    </section>`;
  }
}

customElements.define('podium-question-list', PodiumQuestionList);
