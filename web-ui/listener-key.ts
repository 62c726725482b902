const STORAGE_KEY = 'podium.listenerKey';

/**
 * Returns this tab's listener key: random, kept in sessionStorage, so that a
 * reload keeps the listener's votes, own questions and lobby admission, and
 * a new tab or browser session starts afresh. It is no cookie and never
 * leaves the page except in the signaling join.
 */
export function listenerKey(): string {
  const stored = sessionStorage.getItem(STORAGE_KEY);

  if (stored) return stored;

  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const key = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

  sessionStorage.setItem(STORAGE_KEY, key);

  return key;
}
