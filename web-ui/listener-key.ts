const STORAGE_KEY = 'podium.listenerKey';

/**
 * Returns a random key of 32 hex digits that this tab keeps in
 * sessionStorage under storageKey: a reload gets the same key, and a new tab
 * or browser session gets a new one.
 */
export function tabKey(storageKey: string): string {
  const stored = sessionStorage.getItem(storageKey);

  if (stored) return stored;

  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const key = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

  sessionStorage.setItem(storageKey, key);

  return key;
}

/**
 * Returns this tab's listener key (tabKey), so that a reload keeps the
 * listener's votes, own questions and lobby admission. It is no cookie and
 * never leaves the page except in the signaling join.
 */
export function listenerKey(): string {
  return tabKey(STORAGE_KEY);
}
