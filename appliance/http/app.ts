import fastifyWebsocket from '@fastify/websocket';
import { registerCaptionFeed } from '../captions/caption-feed.js';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import type { PodiumConfig } from '../config/schema.js';
import type { EventController } from '../events/event-controller.js';
import type { Logger } from '../log.js';
import { signalingWebSocketOptions, type SignalingHub } from '../signaling/signaling-server.js';
import type { Audience } from '../signaling/signaling-peer.js';
import type { TlsMaterial } from '../tls/certificate.js';
import { registerAccessHook } from './access-hook.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerErrorHandler } from './error-handler.js';
import { registerAudienceRoutes } from './audience-routes.js';
import { registerEventRoutes } from './event-routes.js';
import { registerHealthRoutes, type HealthRouteDeps } from './health-routes.js';
import { registerHlsRoutes } from './hls-routes.js';
import { registerPageRoutes } from './page-routes.js';
import { registerPrivacyPage } from './privacy-page.js';
import { registerProgramRoutes } from './program-routes.js';
import { registerPtzRoutes } from './ptz-routes.js';
import { registerRecordingRoutes } from './recording-routes.js';
import { registerRestreamRoutes } from './restream-routes.js';
import type { RestreamService } from '../restream/restream-service.js';
import type { RecordingService } from '../recording/recording-service.js';
import { registerDeviceRoutes } from './device-routes.js';
import { registerMeetingRoutes } from './meeting-routes.js';
import type { MeetingService } from '../meetings/meeting-service.js';
import { registerMeetingSignaling } from '../meetings/meeting-signaling.js';
import type { DeviceSetup } from '../devices/device-setup.js';
import type { PtzService } from '../ptz/ptz-service.js';
import { registerSecurityHeaders } from './security-headers.js';

export type AppDeps = {
  config: PodiumConfig;
  controller: EventController;
  access: AccessControl;
  hub: SignalingHub;
  audience: Audience;
  ptz: PtzService;
  recordings: RecordingService;
  restreams: RestreamService;
  meetings: MeetingService;
  devices: DeviceSetup;
  hlsRoot: string;
  tls: TlsMaterial | undefined;
  publicOrigin: () => string;
  health: HealthRouteDeps;
  logger: Logger;
};

/**
 * Builds one HTTP server of Podium. Podium runs two with the same routes:
 * HTTPS for every network, and plain HTTP on loopback for the kiosk.
 */
export async function createApp(deps: AppDeps, secure: boolean): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ server: secure ? 'https' : 'http' }),
    bodyLimit: 64 * 1024,
    ...(secure && deps.tls ? { https: { key: deps.tls.key, cert: deps.tls.cert } } : {}),
  }) as unknown as FastifyInstance;

  registerErrorHandler(app);
  registerSecurityHeaders(app);
  registerAccessHook(app, deps.access);
  await app.register(fastifyWebsocket, { options: signalingWebSocketOptions });
  deps.hub.register(app);
  registerCaptionFeed(app, { access: deps.access, controller: deps.controller, captions: deps.audience.captions });
  registerEventRoutes(app, deps.controller, deps.config.privacy.keepQuestions);
  registerAudienceRoutes(app, { ...deps.audience, controller: deps.controller, access: deps.access, secure });
  registerAuthRoutes(app, {
    access: deps.access,
    controller: deps.controller,
    secure,
    tls: deps.tls,
    publicOrigin: deps.publicOrigin,
    keepTextsDefault: deps.config.privacy.keepQuestions,
  });
  registerPrivacyPage(app, deps.config);
  registerHealthRoutes(app, deps.health);
  await registerHlsRoutes(app, deps.hlsRoot, deps.controller, (broadcastId) => deps.meetings.isStreaming(broadcastId));
  registerPtzRoutes(app, deps.ptz);
  registerProgramRoutes(app, deps.controller);
  registerRecordingRoutes(app, deps.recordings);
  registerRestreamRoutes(app, deps.restreams, deps.controller);
  registerDeviceRoutes(app, deps.devices);
  registerMeetingRoutes(app, deps.meetings);
  registerMeetingSignaling(app, { meetings: deps.meetings, access: deps.access, iceServers: deps.hub.iceServers });
  await registerPageRoutes(app, deps.access, secure);

  return app;
}
