import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/** The logger type every module takes: fastify's pino logger or a child of it. */
export type Logger = FastifyBaseLogger;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Creates the root pino logger. Fastify adopts it, so HTTP requests, modules
 * and connections all log through children of this one logger.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret'],
      censor: '***',
    },
  });
}
