export const SESSION_COOKIE = 'podium_session';

/** Returns the value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');

    if (key === name) return decodeURIComponent(rest.join('='));
  }

  return undefined;
}

/**
 * Builds the Set-Cookie value of a session: HttpOnly so that scripts cannot
 * read it, SameSite=Strict so that other sites cannot use it, and Secure on
 * HTTPS. A maxAge of 0 deletes the cookie.
 */
export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
  ];

  if (options.secure) parts.push('Secure');

  return parts.join('; ');
}
