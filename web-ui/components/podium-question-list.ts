import { html, css, nothing } from 'lit';
import type { QuestionInfo, QuestionState } from '../../appliance/signaling/protocol.js';
import { api } from '../api-client.js';
import { t } from '../i18n/i18n.js';
import { queueOrder } from '../questions/question-order.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';
import { runReporting } from './report-error.js';

/**
 * The console's queue of the audience's questions: open ones by votes, then
 * age, answered and hidden ones below. Staff mark a question answered, hide
 * it, or put it on the venue screen. User text is rendered as text.
 */
export class PodiumQuestionList extends LocalizedElement {
  static override properties = {
    /** The current event's id, for the venue screen action. */
    eventId: { attribute: false },
    /** The questions of the current event, in any order. */
    questions: { attribute: false },
    busy: { state: true },
  };

  eventId = '';
  questions: QuestionInfo[] = [];
  busy = false;

  static override styles = [
    focusStyles,
    css`
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
      li[data-state='answered'],
      li[data-state='hidden'] {
        opacity: 0.6;
      }
      li.on-stage {
        border-left: 6px solid #f59e0b;
        padding-left: 0.5rem;
      }
      .author {
        color: #d1d5db;
        font-size: 0.95rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.25rem;
      }
      button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 0.75rem;
        cursor: pointer;
      }
    `,
  ];

  #run(action: () => Promise<unknown>): Promise<void> {
    return runReporting(this, action);
  }

  #setState(question: QuestionInfo, state: QuestionState): void {
    void this.#run(() => api.setQuestionState(question.id, state));
  }

  #toggleStage(question: QuestionInfo): void {
    void this.#run(() => api.putOnStage(this.eventId, question.onStage ? null : question.id));
  }

  #renderActions(question: QuestionInfo) {
    const answered = question.state === 'answered';
    const hidden = question.state === 'hidden';

    return html`<div class="actions">
      <button data-testid="question-answered" ?disabled=${this.busy || hidden} @click=${() => this.#setState(question, answered ? 'open' : 'answered')}>
        ${answered ? t('question.reopen') : t('question.markAnswered')}
      </button>
      <button data-testid="question-hide" ?disabled=${this.busy} @click=${() => this.#setState(question, hidden ? 'open' : 'hidden')}>
        ${hidden ? t('question.unhide') : t('question.hide')}
      </button>
      <button data-testid="question-stage" ?disabled=${this.busy || hidden} aria-pressed=${question.onStage ? 'true' : 'false'} @click=${() => this.#toggleStage(question)}>
        ${question.onStage ? t('question.fromStage') : t('question.toStage')}
      </button>
    </div>`;
  }

  override render() {
    const queue = queueOrder(this.questions);

    return html`<section aria-labelledby="questions-heading">
      <h2 id="questions-heading">${t('question.listHeading', { count: this.questions.length })}</h2>
      ${queue.length === 0 ? html`<p>${t('question.none')}</p>` : nothing}
      <ol aria-live="polite" data-testid="question-list">
        ${queue.map(
          (question) => html`<li data-testid="question" data-state=${question.state} class=${question.onStage ? 'on-stage' : ''}>
            <div class="text">${question.text}</div>
            <div class="author">${question.author ?? t('question.anonymous')}</div>
            <div class="meta">
              <span data-testid="question-votes">${t('question.votes', { count: question.votes })}</span> ·
              <span data-testid="question-state">${question.onStage ? t('question.onStage') : t(`question.state.${question.state}`)}</span>
            </div>
            ${this.#renderActions(question)}
          </li>`,
        )}
      </ol>
    </section>`;
  }
}

customElements.define('podium-question-list', PodiumQuestionList);
