import { html, type TemplateResult } from 'lit';
import type { MessageKey } from './de.js';
import { t } from './i18n.js';

/** Stands for the detail while the catalogue text is filled; it never occurs in a catalogue text. */
const MARK = '\u0000';

/**
 * Fills a catalogue text whose {reason} is a technical detail that the
 * server writes in English (from ffmpeg, mediasoup or the log), and marks
 * that detail lang="en" so that screen readers on the German page read it
 * with English pronunciation.
 */
export function withEnglishReason(key: MessageKey, reason: string, params: Record<string, string | number> = {}): TemplateResult {
  const [before, after] = t(key, { ...params, reason: MARK }).split(MARK);

  return html`${before}<span lang="en">${reason}</span>${after ?? ''}`;
}
