import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/** The logger type every module takes: fastify's pino logger or a child of it. */
export type Logger = FastifyBaseLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

type LoggedRequest = { method: string; url: string; socket?: { remoteAddress?: string } };

/** Replaces every query parameter value in a URL with "***": invite tokens and codes travel there. */
export function maskQuery(url: string): string {
  const start = url.indexOf('?');

  if (start < 0) return url;

  return url.slice(0, start + 1) + url.slice(start + 1).replace(/=[^&]*/g, '=***');
}

/** Returns the logged part of a request: method, URL without query values, and the client address. */
function serializeRequest(request: LoggedRequest): object {
  return { method: request.method, url: maskQuery(request.url), remoteAddress: request.socket?.remoteAddress };
}

/**
 * Creates the root pino logger. Fastify adopts it, so HTTP requests, modules
 * and connections all log through children of this one logger.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    serializers: { req: serializeRequest },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret', '*.token'],
      censor: '***',
    },
  };

  return destination ? pino(options, destination) : pino(options);
}
