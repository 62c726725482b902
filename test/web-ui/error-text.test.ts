import { beforeAll, describe, expect, it, vi } from 'vitest';
import { errorCatalog } from '../../appliance/errors.js';

/** Codes that get the general text: server faults and protocol errors that Podium's pages never cause. */
const GENERAL = new Set([
  'PODIUM_ERR_CONSUMER_NOT_FOUND',
  'PODIUM_ERR_INTERNAL',
  'PODIUM_ERR_MEDIA',
  'PODIUM_ERR_NO_TRANSPORT',
  'PODIUM_ERR_PRODUCER_NOT_FOUND',
  'PODIUM_ERR_ROUTE_NOT_FOUND',
  'PODIUM_ERR_SIGNALING_INVALID',
  'PODIUM_ERR_SIGNALING_MALFORMED',
  'PODIUM_ERR_SIGNALING_TOO_LARGE',
  'PODIUM_ERR_SIGNALING_UNKNOWN_TYPE',
  'PODIUM_ERR_SOURCE_KIND',
]);

let errorText: typeof import('../../web-ui/error-text.js').errorText;
let i18n: typeof import('../../web-ui/i18n/i18n.js');

beforeAll(async () => {
  // The page modules read the language from the browser when they load.
  const stored = new Map<string, string>();

  vi.stubGlobal('location', { search: '' });
  vi.stubGlobal('localStorage', { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => stored.set(key, value) });
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('navigator', { languages: ['de-AT', 'en-US'] });
  i18n = await import('../../web-ui/i18n/i18n.js');
  ({ errorText } = await import('../../web-ui/error-text.js'));
});

describe('errorText', () => {
  it('translates every code a page may see', () => {
    for (const code of Object.keys(errorCatalog)) {
      const general = i18n.t('error.other', { code });

      if (GENERAL.has(code)) expect(errorText({ code }), code).toBe(general);
      else expect(errorText({ code }), code).not.toBe(general);
    }
  });

  it('follows the page language', () => {
    expect(errorText({ code: 'PODIUM_ERR_STAGE_EMPTY' })).toBe('Es ist niemand auf der Bühne.');
    i18n.setLanguage('en');
    expect(errorText({ code: 'PODIUM_ERR_STAGE_EMPTY' })).toBe('Nobody is on stage.');
    expect(errorText({ code: 'PODIUM_ERR_MEDIA' })).toContain('error PODIUM_ERR_MEDIA');
    i18n.setLanguage('de');
  });

  it('rate limit names the wait', () => {
    expect(errorText({ code: 'PODIUM_ERR_RATE_LIMITED', retryAfterSeconds: 30 })).toContain('30 Sekunden');
    expect(errorText({ code: 'PODIUM_ERR_RATE_LIMITED', retryAfterSeconds: 600 })).toContain('10 Minuten');
    expect(errorText({ code: 'PODIUM_ERR_RATE_LIMITED' })).toContain('einige Minuten');
  });

  it('translates browser media errors', () => {
    const denied = new Error('Permission denied');

    denied.name = 'NotAllowedError';
    expect(errorText(denied)).toContain('nicht erlaubt');
    expect(errorText(new Error('something else'))).toBe('something else');
  });

  it('locale follows the browser within the language', () => {
    expect(i18n.locale()).toBe('de-AT');
    i18n.setLanguage('en');
    expect(i18n.locale()).toBe('en-US');
    i18n.setLanguage('de');
  });
});
