/** Days before its end from which the console warns that the HTTPS certificate expires. */
export const CERTIFICATE_WARNING_DAYS = 14;

const DAY_MS = 24 * 3600 * 1000;

/** Why the console shows a certificate alarm: the certificate has expired, or expires within CERTIFICATE_WARNING_DAYS. */
export type CertificateAlarm = { kind: 'expired' } | { kind: 'expiring'; days: number };

/**
 * Returns the alarm for a certificate valid until validTo (a date that
 * Date.parse reads) at the time now, in milliseconds, or null while it is
 * valid for longer than CERTIFICATE_WARNING_DAYS. An unreadable date gives no alarm.
 */
export function certificateAlarm(validTo: string, now: number): CertificateAlarm | null {
  const end = Date.parse(validTo);

  if (Number.isNaN(end)) return null;
  if (end <= now) return { kind: 'expired' };

  const days = Math.ceil((end - now) / DAY_MS);

  return days <= CERTIFICATE_WARNING_DAYS ? { kind: 'expiring', days } : null;
}
