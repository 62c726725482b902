import type { ChatMessage } from '../../appliance/meetings/meeting-protocol.js';
import { CHAT_HISTORY } from './meeting-limits.js';

/**
 * Adds chat messages to the ones a page shows: each message once (by id,
 * so that the history after a reconnect adds nothing twice), oldest first,
 * and at most the CHAT_HISTORY newest.
 */
export function mergeChat(shown: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(shown.map((message) => [message.id, message]));

  for (const message of incoming) byId.set(message.id, message);

  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-CHAT_HISTORY);
}

/** Formats a chat message's time as hours and minutes in the reader's locale. */
export function chatTime(at: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(at));
}

/**
 * Splits a chat text into plain parts and web links (http and https only),
 * so that the page shows links as links and everything else as text, with
 * no HTML from the sender ever parsed.
 */
export function chatParts(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  const pattern = /https?:\/\/[^\s<>"]+/g;
  let last = 0;

  for (const match of text.matchAll(pattern)) {
    // A sentence's closing punctuation after a link belongs to the sentence.
    const link = match[0].replace(/[.,;:!?)]+$/, '');
    const start = match.index;

    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: link, href: link });
    last = start + link.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });

  return parts;
}
