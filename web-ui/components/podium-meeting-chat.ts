import { html, css, nothing, type PropertyValues } from 'lit';
import type { ChatMessage } from '../../appliance/meetings/meeting-protocol.js';
import { locale, t } from '../i18n/i18n.js';
import { chatParts, chatTime } from '../meeting/chat-format.js';
import { MAX_CHAT_LENGTH } from '../meeting/meeting-limits.js';
import { focusStyles } from './focus-styles.js';
import { formStyles } from './form-styles.js';
import { LocalizedElement } from './localized-element.js';

/**
 * The meeting's text chat: the messages as a log that screen readers
 * announce, and a field to write. Sending dispatches "chat-send" (detail:
 * the text); the page clears the field through clear() once it was sent.
 */
export class PodiumMeetingChat extends LocalizedElement {
  static override properties = {
    /** The messages, oldest first. */
    messages: { attribute: false },
    /** This page's peer id, to mark its own messages. */
    selfPeerId: { type: String },
  };

  messages: ChatMessage[] = [];
  selfPeerId = '';

  static override styles = [
    focusStyles,
    formStyles,
    css`
      :host {
        display: grid;
        gap: 0.5rem;
      }
      .log {
        max-height: 40vh;
        overflow-y: auto;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 0.25rem 0;
        border-bottom: 1px solid #374151;
        overflow-wrap: anywhere;
      }
      .meta {
        display: block;
        color: #d1d5db;
        font-size: 0.9rem;
      }
      a {
        color: #93c5fd;
      }
      form {
        grid-template-columns: 1fr auto;
        align-items: end;
      }
      input,
      button {
        color: #f9fafb;
        background: #1f2937;
        border: 2px solid #6b7280;
        border-radius: 8px;
      }
    `,
  ];

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('messages')) return;

    const list = this.renderRoot.querySelector<HTMLElement>('.log');

    if (list) list.scrollTop = list.scrollHeight;
  }

  /** Empties the field after the page sent its text. */
  clear(): void {
    const input = this.renderRoot.querySelector('input');

    if (input) input.value = '';
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();

    const input = this.renderRoot.querySelector('input');
    const text = input?.value.trim() ?? '';

    if (text) this.dispatchEvent(new CustomEvent('chat-send', { detail: text }));
  }

  #renderMessage(message: ChatMessage) {
    const name = message.peerId === this.selfPeerId ? t('meeting.you', { name: message.name }) : message.name;

    return html`<li data-testid="chat-message">
      <span class="meta">${name} · <time datetime=${message.at}>${chatTime(message.at, locale())}</time></span>
      ${chatParts(message.text).map((part) =>
        part.href ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>` : part.text,
      )}
    </li>`;
  }

  override render() {
    return html`
      <div class="log" role="log" tabindex="0" aria-live="polite" aria-label=${t('meeting.chatMessages')} data-testid="chat-log">
        <ol>
          ${this.messages.map((message) => this.#renderMessage(message))}
        </ol>
      </div>
      ${this.messages.length === 0 ? html`<p>${t('meeting.chatEmpty')}</p>` : nothing}
      <form @submit=${(event: SubmitEvent) => this.#submit(event)}>
        <label>
          ${t('meeting.chatInput')}
          <input data-testid="chat-input" maxlength=${MAX_CHAT_LENGTH} autocomplete="off" />
        </label>
        <button type="submit" data-testid="chat-send">${t('meeting.chatSend')}</button>
      </form>
    `;
  }
}

customElements.define('podium-meeting-chat', PodiumMeetingChat);
