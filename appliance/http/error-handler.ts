import type { FastifyError, FastifyInstance } from 'fastify';
import { PodiumError, podiumError, toErrorBody } from '../errors.js';

/** True for fastify's own client errors: schema validation, bad JSON, an empty or oversized body. */
function isClientError(error: FastifyError): boolean {
  return error.validation !== undefined || (error.statusCode !== undefined && error.statusCode < 500);
}

/**
 * Sends every error as { code, message } with the status from the error
 * catalog. Fastify's own client errors become PODIUM_ERR_INVALID_REQUEST, and
 * an unknown route PODIUM_ERR_ROUTE_NOT_FOUND.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = toErrorBody(podiumError('PODIUM_ERR_ROUTE_NOT_FOUND', request.method, request.url));

    void reply.status(status).send(body);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = !(error instanceof PodiumError) && isClientError(error)
      ? toErrorBody(podiumError('PODIUM_ERR_INVALID_REQUEST', error.message))
      : toErrorBody(error);

    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.body.code }, 'request rejected');
    if (mapped.body.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.body.retryAfterSeconds));
    void reply.status(mapped.status).send(mapped.body);
  });
}
