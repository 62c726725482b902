import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { PodiumConfig } from './config/schema.js';
import { EventController } from './events/event-controller.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerEventRoutes } from './http/event-routes.js';
import { registerHlsRoutes } from './http/hls-routes.js';
import { registerPageRoutes } from './http/page-routes.js';
import type { Logger } from './log.js';
import { Supervisor } from './process/supervisor.js';
import { Sfu } from './sfu/sfu.js';
import { registerSignaling, signalingWebSocketOptions } from './signaling/signaling-server.js';
import { Store } from './store/store.js';

/** A running Podium: its HTTP server and the parts tests and main() need. */
export type Podium = {
  app: FastifyInstance;
  controller: EventController;
  supervisor: Supervisor;
  sfu: Sfu;
  /** The address it listens on, such as http://127.0.0.1:8080. */
  url: string;
  /** Stops the running event, every child process, the worker and the server. */
  close(): Promise<void>;
};

/**
 * Builds and starts Podium from a validated configuration: store, SFU worker,
 * supervisor, event controller, HTTP routes and signaling, in that order.
 */
export async function startPodium(config: PodiumConfig, logger: Logger): Promise<Podium> {
  const dataDir = resolve(config.dataDir);
  const hlsRoot = join(dataDir, 'hls');

  mkdirSync(hlsRoot, { recursive: true });

  const store = new Store(join(dataDir, 'podium.sqlite'));
  const sfu = await Sfu.create(config.sfu, logger);
  const supervisor = new Supervisor(logger);
  const controller = new EventController(store, { sfu, supervisor, config, hlsRoot, logger });
  const app = Fastify({ loggerInstance: logger, bodyLimit: 64 * 1024 });

  sfu.on('workerdied', (error) => logger.fatal({ err: error }, 'media worker died; the running event has failed'));
  registerErrorHandler(app);
  await app.register(fastifyWebsocket, { options: signalingWebSocketOptions });
  registerSignaling(app, controller);
  registerEventRoutes(app, controller);
  await registerHlsRoutes(app, hlsRoot);
  await registerPageRoutes(app);

  let url: string;

  try {
    url = await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    sfu.close();
    store.close();
    throw new Error(
      `cannot listen on ${config.http.host}:${config.http.port} (http.host, http.port): ` +
        `${(error as Error).message}; choose a free port`,
    );
  }
  logger.info({ url, dataDir }, 'Podium started');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await controller.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the event failed'));
      await supervisor.stopAll();
      await app.close();
      sfu.close();
      store.close();
      logger.info('Podium stopped');
    })();

    return closing;
  };

  return { app, controller, supervisor, sfu, url, close };
}
