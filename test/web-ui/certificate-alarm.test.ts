import { describe, expect, it } from 'vitest';
import { certificateAlarm, CERTIFICATE_WARNING_DAYS } from '../../web-ui/certificate-alarm.js';

const NOW = Date.parse('2026-12-04T20:00:00Z');
const DAY_MS = 24 * 3600 * 1000;

/** Cases by name: validTo as GET /api/system returns it (ISO 8601) or in OpenSSL's text form, and the expected alarm. */
const cases: [string, string, ReturnType<typeof certificateAlarm>][] = [
  ['expired yesterday', new Date(NOW - DAY_MS).toISOString(), { kind: 'expired' }],
  ['expiring this second', new Date(NOW).toISOString(), { kind: 'expired' }],
  ['expiring in 3 hours', new Date(NOW + 3 * 3600 * 1000).toISOString(), { kind: 'expiring', days: 1 }],
  ['expiring in 3 days', new Date(NOW + 3 * DAY_MS).toISOString(), { kind: 'expiring', days: 3 }],
  ['expiring at the warning limit', new Date(NOW + CERTIFICATE_WARNING_DAYS * DAY_MS).toISOString(), { kind: 'expiring', days: 14 }],
  ['valid a day past the limit', new Date(NOW + (CERTIFICATE_WARNING_DAYS + 1) * DAY_MS).toISOString(), null],
  ['OpenSSL date expired', 'Dec  3 20:00:00 2026 GMT', { kind: 'expired' }],
  ['unreadable date', 'soon', null],
];

describe('certificateAlarm', () => {
  for (const [name, validTo, expected] of cases) {
    it(name, () => {
      expect(certificateAlarm(validTo, NOW)).toEqual(expected);
    });
  }
});
