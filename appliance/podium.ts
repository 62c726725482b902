import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AccessControl } from './auth/access-control.js';
import type { PodiumConfig } from './config/schema.js';
import { EventController } from './events/event-controller.js';
import { createApp } from './http/app.js';
import type { Logger } from './log.js';
import { Supervisor } from './process/supervisor.js';
import { Sfu } from './sfu/sfu.js';
import { SignalingHub } from './signaling/signaling-server.js';
import { CaptionBoard } from './captions/caption-board.js';
import { StageFloor } from './stage/stage-floor.js';
import { Lobby } from './lobby/lobby.js';
import { HandQueue } from './questions/hand-queue.js';
import { QuestionBoard } from './questions/question-board.js';
import { QuestionStore } from './store/question-store.js';
import { AuthStore } from './store/auth-store.js';
import { Store } from './store/store.js';
import { startRecordingRetention } from './privacy/retention.js';
import { createCameraLink, createPtzInput, loadPtzInputProfile } from './ptz/create-ptz-devices.js';
import { PtzService } from './ptz/ptz-service.js';
import { RecordingService } from './recording/recording-service.js';
import { RecordingStore } from './store/recording-store.js';
import { RestreamService } from './restream/restream-service.js';
import { RestreamStore } from './store/restream-store.js';
import { MeetingStore } from './store/meeting-store.js';
import { MeetingService } from './meetings/meeting-service.js';
import { DeviceSetup } from './devices/device-setup.js';
import { SystemDeviceLayer, type DeviceLayer } from '../capture/devices/device-layer.js';
import { loadCertificate, type TlsMaterial } from './tls/certificate.js';
import { iceServersFor } from './network/ice-servers.js';
import { HlsViewerCounter } from './health/hls-viewer-counter.js';
import { SystemStatusCollector } from './health/system-status.js';

/** A running Podium: its servers and the parts tests and main() need. */
export type Podium = {
  apps: FastifyInstance[];
  controller: EventController;
  supervisor: Supervisor;
  sfu: Sfu;
  access: AccessControl;
  store: Store;
  recordings: RecordingService;
  status: SystemStatusCollector;
  devices: DeviceSetup;
  meetings: MeetingService;
  /** The plain HTTP address, such as http://127.0.0.1:8080. */
  url: string;
  /** The HTTPS address, or undefined when https.enabled is false. */
  httpsUrl: string | undefined;
  tls: TlsMaterial | undefined;
  /** Stops the running event, every child process, the worker and the servers. */
  close(): Promise<void>;
};

async function listen(app: FastifyInstance, host: string, port: number, keys: string): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    throw new Error(
      `cannot listen on ${host}:${port} (${keys}): ${(error as Error).message}; ` +
        'choose a free port and an address of this machine',
    );
  }
}

/** Returns the origin of invite links: the HTTPS server at the first non-loopback IPv4 address. */
function publicOrigin(config: PodiumConfig, httpsPort: number | undefined, httpUrl: string): string {
  if (httpsPort === undefined) return httpUrl;

  const configured = config.https.host !== '0.0.0.0' && config.https.host !== '::' ? config.https.host : undefined;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
  const host = configured ?? config.sfu.announcedAddress ?? external;

  return `https://${host || external || '127.0.0.1'}:${httpsPort}`;
}

/**
 * Builds and starts Podium from a validated configuration: store, access
 * control, SFU worker, supervisor, event controller, then the HTTPS and the
 * plain HTTP server.
 */
export type PodiumOptions = {
  /** The capture devices; tests pass a FakeDeviceLayer. Default: the machine's. */
  deviceLayer?: DeviceLayer;
};

export async function startPodium(config: PodiumConfig, logger: Logger, options: PodiumOptions = {}): Promise<Podium> {
  const dataDir = resolve(config.dataDir);
  const hlsRoot = join(dataDir, 'hls');

  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    mkdirSync(hlsRoot, { recursive: true });
  } catch (error) {
    throw new Error(`cannot create the data directory ${dataDir} (dataDir): ${(error as Error).message}`);
  }

  const supervisor = new Supervisor(logger);
  // Before anything that needs closing, because a bad ptz.hid.profile or ptz.input.profile stops the start.
  const ptzLink = createCameraLink(config.ptz, supervisor, logger);
  const ptzInputProfile = loadPtzInputProfile(config.ptz);
  const store = new Store(join(dataDir, 'podium.sqlite'));
  const access = new AccessControl(new AuthStore(store.database), store, config, logger);

  let tls: TlsMaterial | undefined;

  try {
    tls = config.https.enabled ? await loadCertificate(config.https, dataDir, supervisor, logger) : undefined;
  } catch (error) {
    store.close();
    throw error;
  }
  // After the certificate check, so that a start that fails on it does not
  // use up the one showing of the first password.
  await access.ensureStaffPassword(dataDir);

  const recordingsDir = join(dataDir, 'recordings');
  // The recording service exists only further down; the first sweep's deletions wait for it.
  let forgetRecordings: (fileNames: string[]) => void = () => undefined;
  const forgotten: string[] = [];
  const stopRetention = startRecordingRetention(recordingsDir, config.privacy.recordingRetentionDays, logger, (names) => {
    forgotten.push(...names);
    forgetRecordings(names);
  });
  const sfu = await Sfu.create(config.sfu, logger);
  const devices = new DeviceSetup({
    layer: options.deviceLayer ?? new SystemDeviceLayer(supervisor),
    supervisor,
    config,
    store,
    logger,
  });
  const controller = new EventController(store, { sfu, supervisor, config, hlsRoot, logger, devices });
  const audience = {
    questions: new QuestionBoard(new QuestionStore(store.database), controller, logger),
    hands: new HandQueue(),
    lobby: new Lobby(logger),
    floor: new StageFloor(logger),
    captions: new CaptionBoard(controller, logger),
  };
  const hub = new SignalingHub(controller, access, audience, () => iceServersFor(config.turn));
  const meetings = new MeetingService({
    store: new MeetingStore(store.database),
    createRouter: (meetingId) => sfu.createMeetingRouter(meetingId),
    moderatorKey: (meetingId) => access.meetingModeratorKey(meetingId),
    isModeratorKey: (meetingId, key) => access.isMeetingModeratorKey(meetingId, key),
    broadcast: {
      createRoom: (roomId) => sfu.createRoom(roomId),
      supervisor,
      config,
      hlsRoot,
      // The recording service is created further down; broadcasts start only after Podium started.
      recordMeeting: (meeting, playlistPath) => recordings.recordMeeting(meeting, playlistPath),
    },
    logger,
  });

  controller.attachStage(audience.questions);
  const captionsSince = (eventId: string, fromMs: number) =>
    audience.captions.since(eventId, fromMs).map((caption) => ({ text: caption.text, atMs: Date.parse(caption.showAt) }));

  controller.attachCaptions(captionsSince);

  controller.on('level', (level) => (devices.captureLevel = level));
  devices.capturePicture = () => controller.liveEvent?.venue?.cameraPicture;
  const ptz = new PtzService(
    controller,
    store,
    { camera: config.ptz.camera, link: ptzLink },
    logger,
  );
  const ptzInput = createPtzInput(ptzInputProfile, ptz, logger);
  const recordings = new RecordingService({
    controller,
    store: new RecordingStore(store.database),
    directory: recordingsDir,
    logger,
    captionsSince,
  });

  recordings.forgetFiles(forgotten);
  forgetRecordings = (names) => recordings.forgetFiles(names);

  const restreams = new RestreamService({
    controller,
    store: new RestreamStore(store.database),
    supervisor,
    logger,
  });

  controller.attachStatus({ recording: recordings, restreams });

  const hlsViewers = new HlsViewerCounter();
  const status = new SystemStatusCollector({ controller, sfu, supervisor, hlsViewers, dataDir });
  const health = { status, hlsViewers, metricsToken: config.metrics.token };
  let origin = '';
  const deps = {
    config, controller, access, hub, audience, ptz, devices, recordings, restreams, meetings, hlsRoot, tls, health,
    publicOrigin: () => origin,
    logger,
  };
  const apps: FastifyInstance[] = [];
  let url: string;
  let httpsUrl: string | undefined;

  sfu.on('failed', (error) => logger.fatal({ err: error }, 'no media worker runs; the running event has failed'));
  try {
    if (tls) {
      const secureApp = await createApp(deps, true);

      apps.push(secureApp);
      httpsUrl = await listen(secureApp, config.https.host, config.https.port, 'https.host, https.port');
    }

    const plainApp = await createApp(deps, false);

    apps.push(plainApp);
    url = await listen(plainApp, config.http.host, config.http.port, 'http.host, http.port');
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    ptzInput?.close();
    ptz.close();
    await devices.close();
    stopRetention();
    meetings.close();
    sfu.close();
    store.close();
    throw error;
  }
  origin = publicOrigin(config, httpsUrl ? Number(new URL(httpsUrl).port) : undefined, url);
  logger.info({ url, httpsUrl, dataDir, fingerprint256: tls?.fingerprint256 }, 'Podium started');

  // After the services that follow the event subscribed, so that restreams and the recording go on with it.
  const restored = controller.restoreInterrupted();

  if (restored) recordings.resumeAfterRestore(restored.eventId, restored.liveSince);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // The recordings first, so that a meeting's recording that Podium's stop cuts off ends as "interrupted".
      await recordings.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the recording failed'));
      await meetings.stopBroadcasts().catch((error: unknown) => logger.error({ err: error }, 'stopping the meeting broadcasts failed'));
      await restreams.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the restreams failed'));
      await controller.close().catch((error: unknown) => logger.error({ err: error }, 'stopping the event failed'));
      ptzInput?.close();
      ptz.close();
      await devices.close();
      await supervisor.stopAll();
      stopRetention();
      hub.closeAll();
      meetings.close();
      await Promise.all(apps.map((app) => app.close()));
      sfu.close();
      store.close();
      logger.info('Podium stopped');
    })();

    return closing;
  };

  return { apps, controller, supervisor, sfu, access, store, recordings, status, devices, meetings, url, httpsUrl, tls, close };
}
