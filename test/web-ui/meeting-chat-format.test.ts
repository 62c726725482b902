import { describe, expect, it } from 'vitest';
import * as protocol from '../../appliance/meetings/meeting-protocol.js';
import type { ChatMessage } from '../../appliance/meetings/meeting-protocol.js';
import { chatParts, chatTime, mergeChat } from '../../web-ui/meeting/chat-format.js';
import * as limits from '../../web-ui/meeting/meeting-limits.js';

function message(id: number, text = `message ${id}`): ChatMessage {
  return { id, peerId: 'a', name: 'Ada', text, at: '2026-12-05T09:05:00Z' };
}

describe('mergeChat', () => {
  it('keeps each message once', () => {
    const merged = mergeChat([message(1), message(2)], [message(2), message(3)]);

    expect(merged.map((entry) => entry.id)).toEqual([1, 2, 3]);
  });

  it('orders messages by id', () => {
    expect(mergeChat([message(5)], [message(3), message(4)]).map((entry) => entry.id)).toEqual([3, 4, 5]);
  });

  it('keeps only the newest history', () => {
    const many = Array.from({ length: limits.CHAT_HISTORY + 10 }, (_, index) => message(index + 1));
    const merged = mergeChat([], many);

    expect(merged).toHaveLength(limits.CHAT_HISTORY);
    expect(merged[0]?.id).toBe(11);
  });
});

describe('chatTime', () => {
  it('formats hours and minutes', () => {
    // Node's Intl formats in the machine's time zone, like the browser does for the reader.
    const expected = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' }).format(new Date('2026-12-05T09:05:00Z'));

    expect(chatTime('2026-12-05T09:05:00Z', 'de-DE')).toBe(expected);
    expect(expected).toMatch(/^\d\d:05$/);
  });
});

describe('chatParts', () => {
  it('returns plain text whole', () => {
    expect(chatParts('Hallo <b>alle</b>')).toEqual([{ text: 'Hallo <b>alle</b>' }]);
  });

  it('splits out a link', () => {
    expect(chatParts('Folien: https://example.org/a?b=1 bitte')).toEqual([
      { text: 'Folien: ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: ' bitte' },
    ]);
  });

  it('leaves closing punctuation outside', () => {
    expect(chatParts('Siehe https://example.org.')).toEqual([
      { text: 'Siehe ' },
      { text: 'https://example.org', href: 'https://example.org' },
      { text: '.' },
    ]);
  });

  it('links no other schemes', () => {
    expect(chatParts('javascript:alert(1) ftp://host')).toEqual([{ text: 'javascript:alert(1) ftp://host' }]);
  });
});

describe('meeting limits', () => {
  it('match the protocol', () => {
    expect(limits.MAX_CHAT_LENGTH).toBe(protocol.MAX_CHAT_LENGTH);
    expect(limits.CHAT_HISTORY).toBe(protocol.CHAT_HISTORY);
    expect(limits.MAX_MEETING_NAME_LENGTH).toBe(protocol.MAX_MEETING_NAME_LENGTH);
  });
});
