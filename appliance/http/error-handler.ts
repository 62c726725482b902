import type { FastifyError, FastifyInstance } from 'fastify';
import { podiumError, toErrorBody } from '../errors.js';

/**
 * Sends every error as { code, message } with the status from the error
 * catalog. Fastify's own validation errors become PODIUM_ERR_INVALID_REQUEST.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = error.validation
      ? toErrorBody(podiumError('PODIUM_ERR_INVALID_REQUEST', `${error.validationContext ?? 'request'} ${error.message}`))
      : toErrorBody(error);

    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.body.code }, 'request rejected');
    void reply.status(mapped.status).send(mapped.body);
  });
}
