import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLocalMachineRequest, sameText } from '../auth/access-control.js';
import { podiumError } from '../errors.js';
import type { HlsViewerCounter } from '../health/hls-viewer-counter.js';
import { renderPrometheus } from '../health/prometheus.js';
import type { SystemStatusCollector } from '../health/system-status.js';

/** Live HLS playlists, whose requests count HLS listeners. */
const HLS_PLAYLIST = /^\/hls\/[0-9a-f-]{36}\/[\w-]+\.m3u8(\?|$)/;

export type HealthRouteDeps = {
  status: SystemStatusCollector;
  hlsViewers: HlsViewerCounter;
  /** metrics.token; empty when only this machine and staff may read /metrics. */
  metricsToken: string;
};

/**
 * /metrics admits staff, requests from this machine itself (a Prometheus or
 * node exporter on the appliance), and callers with the metrics.token bearer
 * token.
 */
function mayReadMetrics(request: FastifyRequest, token: string): boolean {
  if (request.principal.role === 'staff') return true;
  if (isLocalMachineRequest({ remoteAddress: request.socket.remoteAddress, headers: request.headers })) return true;

  const header = request.headers.authorization ?? '';
  const presented = /^Bearer (.+)$/i.exec(header)?.[1];

  return token !== '' && presented !== undefined && sameText(presented, token);
}

/**
 * Registers /healthz (public: ready or not, and which parts fail, nothing
 * else), /metrics (Prometheus text format) and /api/status (staff: the same
 * figures as JSON for the console's status screen).
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthRouteDeps): void {
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 200 && HLS_PLAYLIST.test(request.url)) {
      deps.hlsViewers.seen(request.ip, request.headers['user-agent']);
    }
  });

  app.get('/healthz', { config: { access: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    const status = await deps.status.collect();

    return reply
      .code(status.ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({ status: status.ready ? 'ready' : 'failing', failing: status.failing });
  });

  app.get('/metrics', { config: { access: 'public' }, logLevel: 'warn' }, async (request, reply) => {
    if (!mayReadMetrics(request, deps.metricsToken)) {
      throw podiumError('PODIUM_ERR_UNAUTHORIZED', 'GET /metrics from another machine without the metrics.token bearer token');
    }

    const status = await deps.status.collect();

    return reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(renderPrometheus(status));
  });

  app.get('/api/status', async () => deps.status.collect());
}
