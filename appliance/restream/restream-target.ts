import { podiumError } from '../errors.js';

/** A restream target as staff enter it. */
export type NewRestreamTarget = { name: string; url: string; streamKey: string };

/** The maximum stream key length; platforms issue keys of about 20 to 60 characters (an estimate). */
const MAX_KEY_LENGTH = 256;

/**
 * Checks a target that staff entered and returns it trimmed. The address
 * must be rtmp:// or rtmps:// with a host and no credentials, and the key
 * may not contain characters that would end the address.
 */
export function checkRestreamTarget(target: NewRestreamTarget): NewRestreamTarget {
  const name = target.name.trim();
  const url = target.url.trim();
  const streamKey = target.streamKey.trim();
  let parsed: URL;

  if (name === '' || name.length > 80) {
    throw podiumError('PODIUM_ERR_INVALID_REQUEST', 'the target name must have 1 to 80 characters');
  }
  try {
    parsed = new URL(url);
  } catch {
    throw podiumError('PODIUM_ERR_INVALID_REQUEST', `"${url}" is not an address; enter one such as rtmps://a.rtmp.youtube.com/live2`);
  }
  if (parsed.protocol !== 'rtmp:' && parsed.protocol !== 'rtmps:') {
    throw podiumError('PODIUM_ERR_INVALID_REQUEST', `"${parsed.protocol}" addresses are not supported; use rtmp:// or rtmps://`);
  }
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') {
    throw podiumError('PODIUM_ERR_INVALID_REQUEST', 'the address needs a host and no user name or password; put the key in the stream key field');
  }
  // RTMP takes the first path part as the application: without one, ffmpeg would send the key as the application name.
  if (parsed.pathname.replace(/\/+/g, '') === '') {
    throw podiumError(
      'PODIUM_ERR_INVALID_REQUEST',
      `"${url}" has no application path; enter the full server address such as rtmps://a.rtmp.youtube.com/live2`,
    );
  }
  if (streamKey.length > MAX_KEY_LENGTH || /[\s/?#]/.test(streamKey)) {
    throw podiumError(
      'PODIUM_ERR_INVALID_REQUEST',
      `the stream key must have at most ${MAX_KEY_LENGTH} characters without spaces, "/", "?" or "#"; copy it again from the platform`,
    );
  }

  return { name, url, streamKey };
}
