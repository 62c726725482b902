import { html, css, nothing } from 'lit';
import type { PublicQuestion } from '../../appliance/signaling/protocol.js';
import { t } from '../i18n/i18n.js';
import { visibleAt } from '../questions/question-order.js';
import type { SignalingClient } from '../signaling-client.js';
import { focusStyles } from './focus-styles.js';
import { LocalizedElement } from './localized-element.js';

/**
 * The watch page's audience panel with the raise-hand button. It lists the
 * questions asked up to the page's playback position, with an upvote button
 * on others' questions and the state of the listener's own.
 */
export class PodiumAudienceQuestions extends LocalizedElement {
  static override properties = {
    /** The page's signaling connection, which sends votes and the hand. */
    signaling: { attribute: false },
    /** The event's questions as shown to this listener, from the "questions" notification. */
    questions: { attribute: false },
    /** The page's playback position in the event's stream time (ms), or null at the live edge. */
    positionMs: { attribute: false },
    /** Whether this listener's hand is raised. */
    handRaised: { attribute: false },
    error: { state: true },
  };

  signaling: SignalingClient | undefined;
  questions: PublicQuestion[] = [];
  positionMs: number | null = null;
  handRaised = false;
  error = '';

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
        display: flex;
        gap: 1rem;
        justify-content: space-between;
        align-items: center;
        padding: 0.5rem 0;
        border-bottom: 1px solid #374151;
        overflow-wrap: anywhere;
      }
      .meta {
        color: #d1d5db;
        font-size: 0.95rem;
      }
      button {
        font: inherit;
        min-height: 44px;
        min-width: 44px;
        padding: 0 1rem;
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

  async #vote(questionId: number): Promise<void> {
    await this.#send(() => this.signaling!.request('voteQuestion', { questionId }));
  }

  async #toggleHand(): Promise<void> {
    const raised = !this.handRaised;

    await this.#send(async () => {
      await this.signaling!.request('setHand', { raised });
      this.handRaised = raised;
      this.dispatchEvent(new CustomEvent('hand-changed', { detail: raised }));
    });
  }

  async #send(action: () => Promise<unknown>): Promise<void> {
    if (!this.signaling) return;
    this.error = '';
    try {
      await action();
    } catch {
      this.error = t('question.failed');
    }
  }

  #renderQuestion(question: PublicQuestion) {
    const state = question.onStage ? t('question.onStage') : t(`question.state.${question.state}`);

    return html`<li data-testid="audience-question" data-state=${question.state}>
      <div>
        <div class="text">${question.text}</div>
        <div class="meta">
          ${question.own ? t('question.own') : (question.author ?? t('question.anonymous'))} ·
          <span data-testid="audience-question-votes">${t('question.votes', { count: question.votes })}</span>
          · <span data-testid="audience-question-state">${state}</span>
        </div>
      </div>
      ${question.own
        ? nothing
        : html`<button
            data-testid="audience-question-vote"
            aria-pressed=${question.voted ? 'true' : 'false'}
            ?disabled=${question.voted}
            @click=${() => void this.#vote(question.id)}
          >
            ${question.voted ? t('question.voted') : t('question.vote')}
          </button>`}
    </li>`;
  }

  override render() {
    const shown = visibleAt(this.questions, this.positionMs);

    return html`<section aria-labelledby="audience-heading">
      <p>
        <button data-testid="hand" aria-pressed=${this.handRaised ? 'true' : 'false'} @click=${() => void this.#toggleHand()}>
          ${this.handRaised ? t('hand.lower') : t('hand.raise')}
        </button>
        <span role="status" data-testid="hand-status">${this.handRaised ? t('hand.raised') : ''}</span>
      </p>
      <h2 id="audience-heading">${t('question.audienceHeading')}</h2>
      ${shown.length === 0 ? html`<p>${t('question.none')}</p>` : nothing}
      <ol aria-live="polite" data-testid="audience-questions">
        ${shown.map((question) => this.#renderQuestion(question))}
      </ol>
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
    </section>`;
  }
}

customElements.define('podium-audience-questions', PodiumAudienceQuestions);
