import { de, type MessageKey } from './de.js';
import { en } from './en.js';

export type Language = 'de' | 'en';

export const LANGUAGES: readonly Language[] = ['de', 'en'];

const catalogues: Record<Language, Record<MessageKey, string>> = { de, en };
const STORAGE_KEY = 'podium.language';
const CHANGE_EVENT = 'podium-language-change';

function initialLanguage(): Language {
  const fromQuery = new URLSearchParams(location.search).get('lang');

  if (fromQuery === 'de' || fromQuery === 'en') return fromQuery;

  const stored = localStorage.getItem(STORAGE_KEY);

  return stored === 'en' ? 'en' : 'de';
}

let current: Language = initialLanguage();

document.documentElement.lang = current;

export function language(): Language {
  return current;
}

/** Switches every page text to a language and remembers the choice. */
export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT));
}

export function onLanguageChange(listener: () => void): () => void {
  window.addEventListener(CHANGE_EVENT, listener);

  return () => window.removeEventListener(CHANGE_EVENT, listener);
}

/** Returns the text for a key in the current language, with {name} placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[current][key];

  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

/** The locale used when the browser names none in the page language. */
const FALLBACK_LOCALES: Record<Language, string> = { de: 'de-DE', en: 'en-GB' };

/**
 * Returns the reader's locale for the page language: the browser's first
 * preferred locale of that language (de-AT, en-US, …), else de-DE or en-GB.
 * Dates, times and numbers follow it: a browser set to en-US shows US dates
 * on the English page, and one set to de-AT shows "Jänner" on the German one.
 */
export function locale(): string {
  const preferred = navigator.languages.find((tag) => tag.split('-')[0]!.toLowerCase() === current);

  return preferred ?? FALLBACK_LOCALES[current];
}

/** Formats a date and time in the reader's locale, in the page language. */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** Formats a date and time compactly (medium date, short time), for lists. */
export function formatShortDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
