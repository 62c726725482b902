import { availableParallelism } from 'node:os';
import type { PodiumConfig } from '../config/schema.js';

type SfuConfig = PodiumConfig['sfu'];

/** Returns the number of mediasoup workers: sfu.workers, or one per CPU core when it is 0. */
export function workerCount(sfu: Pick<SfuConfig, 'workers'>): number {
  return sfu.workers === 0 ? availableParallelism() : sfu.workers;
}

/**
 * Returns the UDP and TCP port of worker index's WebRtcServer: sfu.port plus the
 * index, so that a NAT forwards one block of ports. Port 0 (any free port)
 * stays 0 for every worker.
 */
export function webRtcPort(sfu: Pick<SfuConfig, 'port'>, index: number): number {
  return sfu.port === 0 ? 0 : sfu.port + index;
}

/** Returns the WebRTC ports of every worker, in worker order (0 for any free port). */
export function webRtcPorts(sfu: Pick<SfuConfig, 'port' | 'workers'>): number[] {
  return Array.from({ length: workerCount(sfu) }, (_unused, index) => webRtcPort(sfu, index));
}
