import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredentials } from './ice-servers.js';

const secret = 'a-shared-secret-of-some-length';

describe('turnCredentials', () => {
  it('puts the expiry and id in the username', () => {
    const { username } = turnCredentials(secret, 600, 'abc', 1_700_000_000_000);

    expect(username).toBe('1700000600:abc');
  });

  it('signs the username with HMAC-SHA1', () => {
    const { username, credential } = turnCredentials(secret, 600, 'abc', 1_700_000_000_000);
    const expected = createHmac('sha1', secret).update(username).digest('base64');

    expect(credential).toBe(expected);
  });

  it('matches a credential computed by hand', () => {
    // Computed with: printf '%s' '1700000600:abc' | openssl dgst -sha1 -hmac "$secret" -binary | base64
    const { credential } = turnCredentials(secret, 600, 'abc', 1_700_000_000_000);

    expect(credential).toBe('ZSfka6pbI4l0FardkWM7ghbMFhI=');
  });
});

describe('iceServersFor', () => {
  it('returns none without TURN URLs', () => {
    expect(iceServersFor({ urls: [], sharedSecret: '', credentialTtlSeconds: 3600 })).toEqual([]);
  });

  it('never hands out the shared secret', () => {
    const servers = iceServersFor({ urls: ['turn:127.0.0.1:3478'], sharedSecret: secret, credentialTtlSeconds: 60 });

    expect(servers).toHaveLength(1);
    expect(servers[0]?.urls).toEqual(['turn:127.0.0.1:3478']);
    expect(JSON.stringify(servers)).not.toContain(secret);
  });

  it('gives each transport its own username', () => {
    const turn = { urls: ['turn:127.0.0.1:3478'], sharedSecret: secret, credentialTtlSeconds: 60 };

    expect(iceServersFor(turn)[0]?.username).not.toBe(iceServersFor(turn)[0]?.username);
  });
});
