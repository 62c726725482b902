import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AccessControl } from '../auth/access-control.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { podiumError, PodiumError, toErrorBody } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import type { CaptionBoard } from './caption-board.js';

/** Bytes one message of the feed may have; a stenography tool sends a line or a few. */
const MAX_FEED_MESSAGE_BYTES = 4096;
/** Lines per second a feed may send before lines are rejected. */
const LINES_PER_SECOND = 20;
/** WebSocket close code for a feed without a valid captioner invite (RFC 6455: policy violation). */
const CLOSE_POLICY_VIOLATION = 1008;

export type CaptionFeedDeps = { access: AccessControl; controller: EventController; captions: CaptionBoard };

/**
 * The caption feed for stenography tools: a WebSocket at
 * /captions/feed?invite=<captioner invite token> (or with a staff session)
 * that takes plain text, each line one caption of the invite's event.
 * Podium replies to each line with "ok <caption id>" or "error <code>:
 * <message>", and to a message without text with one error. The invite is checked again on every message, so revoking it
 * stops the feed.
 */
export function registerCaptionFeed(app: FastifyInstance, deps: CaptionFeedDeps): void {
  const rate = new RateLimiter(LINES_PER_SECOND, 1000);

  app.get<{ Querystring: { invite?: string } }>(
    '/captions/feed',
    {
      websocket: true,
      config: { access: 'public' },
      schema: { querystring: { type: 'object', properties: { invite: { type: 'string', maxLength: 2048 } } } },
    },
    (socket, request) => {
      const feedId = randomUUID();
      const logger = request.log.child({ feedId });
      const principal = deps.access.principalFromCookies(request.headers.cookie);
      const token = request.query.invite;

      /** Returns the event the feed captions now: the invite's, or the current one for staff. */
      const eventId = (): string => {
        if (token) {
          const claims = deps.access.verifyInvite(token);

          if (claims.role !== 'captioner') throw podiumError('PODIUM_ERR_FORBIDDEN', claims.role, 'send captions');

          return claims.eventId;
        }
        if (principal.role !== 'staff') throw podiumError('PODIUM_ERR_FORBIDDEN', principal.role, 'send captions');

        const current = deps.controller.snapshot().event;

        if (!current) throw podiumError('PODIUM_ERR_NOT_LIVE', 'no event');

        return current.id;
      };

      try {
        logger.info({ eventId: eventId() }, 'caption feed connected');
      } catch (error) {
        const { body } = toErrorBody(error);

        logger.warn({ code: body.code, detail: body.message }, 'caption feed rejected');
        socket.send(`error ${body.code}: ${body.message}`);
        socket.close(CLOSE_POLICY_VIOLATION, 'a captioner invite token or a staff session is required');

        return;
      }

      socket.on('message', (raw, isBinary) => {
        const text = raw.toString();

        if (isBinary || Buffer.byteLength(text) > MAX_FEED_MESSAGE_BYTES) {
          socket.send(`error PODIUM_ERR_SIGNALING_TOO_LARGE: send text of at most ${MAX_FEED_MESSAGE_BYTES} bytes per message`);

          return;
        }
        const lines = text.split(/\r?\n/).filter((entry) => entry.trim() !== '');

        if (lines.length === 0) {
          const { body } = toErrorBody(podiumError('PODIUM_ERR_CAPTION_EMPTY'));

          socket.send(`error ${body.code}: ${body.message}`);

          return;
        }
        for (const line of lines) {
          try {
            if (rate.retryAfterMs(feedId) > 0) throw podiumError('PODIUM_ERR_RATE_LIMITED', 'caption lines', 1);
            rate.record(feedId);

            const added = deps.captions.add(eventId(), line, 'feed');

            socket.send(`ok ${added.map((caption) => caption.id).join(' ')}`);
          } catch (error) {
            const { body } = toErrorBody(error);

            if (!(error instanceof PodiumError)) logger.error({ err: error }, 'caption feed line failed');
            else logger.warn({ code: body.code, detail: body.message }, 'caption feed line rejected');
            socket.send(`error ${body.code}: ${body.message}`);
          }
        }
      });
      socket.on('close', () => logger.info('caption feed closed'));
    },
  );
}
