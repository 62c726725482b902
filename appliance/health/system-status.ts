import { statfs } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { EventController } from '../events/event-controller.js';
import type { Supervisor } from '../process/supervisor.js';
import type { Sfu } from '../sfu/sfu.js';
import type { HealthPart, SystemStatus } from '../signaling/protocol.js';
import type { HlsViewerCounter } from './hls-viewer-counter.js';

export type { HealthPart, SystemStatus };

/** Below this share of free space on the data disk, /healthz fails with "disk" (recordings stop there too). */
export const DISK_FAILING_SHARE = 0.02;

export type SystemStatusDeps = {
  controller: EventController;
  sfu: Sfu;
  supervisor: Supervisor;
  hlsViewers: HlsViewerCounter;
  dataDir: string;
};

/**
 * Collects Podium's health and its figures from the controller snapshot,
 * the room, the supervisor, the data disk and the system load.
 */
export class SystemStatusCollector {
  readonly #deps: SystemStatusDeps;
  #workerDeaths = 0;

  constructor(deps: SystemStatusDeps) {
    this.#deps = deps;
    deps.sfu.on('workerdied', () => this.#workerDeaths++);
  }

  async collect(): Promise<SystemStatus> {
    const { controller, sfu, supervisor, hlsViewers } = this.#deps;
    const snapshot = controller.snapshot();
    const room = controller.room;
    const [camera, mic, egress, disk] = await Promise.all([
      room?.producerStats('venue-camera').catch(() => undefined),
      room?.producerStats('venue-mic').catch(() => undefined),
      room?.egressStats().catch(() => undefined),
      this.#disk(),
    ]);
    const [one, five, fifteen] = loadavg() as [number, number, number];
    const restreams = snapshot.restreams ?? [];
    const status: SystemStatus = {
      ready: true,
      failing: [],
      eventState: snapshot.event?.state ?? null,
      outputs: snapshot.outputs,
      viewers: { webrtc: egress?.viewers ?? 0, hls: hlsViewers.count(), watchPages: snapshot.viewers },
      bitrates: { venueCamera: camera?.bitrate ?? 0, venueMic: mic?.bitrate ?? 0, webrtcOut: egress?.bitrate ?? 0 },
      packetsLost: {
        venueIn: (camera?.packetsLost ?? 0) + (mic?.packetsLost ?? 0),
        webrtcOut: egress?.packetsLost ?? 0,
      },
      processRestarts: Object.fromEntries(supervisor.restartCounts()),
      worker: { alive: !sfu.closed && !sfu.recovering, deaths: this.#workerDeaths, viewers: sfu.viewersPerWorker() },
      recording: {
        active: snapshot.recording?.current != null,
        diskLow: snapshot.recording?.diskLow ?? false,
        alarm: snapshot.recording?.alarm ?? null,
      },
      restreams: {
        total: restreams.length,
        live: restreams.filter((target) => target.state === 'live').length,
        failed: restreams.filter((target) => target.state === 'failed').length,
      },
      disk,
      load: { one, five, fifteen, cpus: availableParallelism() },
    };

    status.failing = findFailingParts(status, snapshot.venue);
    status.ready = status.failing.length === 0;

    return status;
  }

  async #disk(): Promise<SystemStatus['disk']> {
    const path = this.#deps.dataDir;

    try {
      const stats = await statfs(path);

      return { path, freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
    } catch {
      return { path, freeBytes: 0, totalBytes: 0 };
    }
  }
}

/** Names every part that stops a live event from working as it should. */
function findFailingParts(
  status: SystemStatus,
  venue: { camera: string; microphone: string } | null,
): HealthPart[] {
  const failing: HealthPart[] = [];
  const running = status.eventState === 'starting' || status.eventState === 'live';

  if (!status.worker.alive) failing.push('sfu-worker');
  if (status.eventState === 'failed') failing.push('event');
  if (running && venue?.camera === 'disconnected') failing.push('venue-camera');
  if (running && venue?.microphone === 'disconnected') failing.push('venue-microphone');
  if (running && status.outputs?.room === 'failed') failing.push('room');
  if (running && status.outputs?.hls === 'failed') failing.push('hls');
  if (status.recording.alarm) failing.push('recording');
  if (status.restreams.failed > 0) failing.push('restream');
  if (status.disk.totalBytes === 0 || status.disk.freeBytes / status.disk.totalBytes < DISK_FAILING_SHARE) {
    failing.push('disk');
  }

  return failing;
}
