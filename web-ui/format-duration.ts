/** Returns a duration in milliseconds as hh:mm:ss, such as 01:02:03. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;

  return [hours, minutes, seconds].map((part) => String(part).padStart(2, '0')).join(':');
}

/** Returns a file size in megabytes with one decimal in the page's language, such as "12,5 MB". */
export function formatMegabytes(bytes: number, locale: string): string {
  return `${(bytes / 1_000_000).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
}
