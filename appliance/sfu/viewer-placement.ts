/** A worker's index and its current number of WebRTC viewers, the input of placement. */
export type WorkerLoad = { index: number; viewers: number };

/**
 * Chooses the worker for a room's next viewer: the room's own (origin)
 * worker while it has fewer than limit viewers, else the first other worker
 * below the limit, in index order. When every worker is at the limit, the one
 * with the fewest viewers takes it, and overloaded is true.
 */
export function chooseViewerWorker(
  workers: readonly WorkerLoad[],
  originIndex: number,
  limit: number,
): { index: number; overloaded: boolean } {
  const origin = workers.find((worker) => worker.index === originIndex);

  if (origin && origin.viewers < limit) return { index: origin.index, overloaded: false };

  const free = workers.find((worker) => worker.index !== originIndex && worker.viewers < limit);

  if (free) return { index: free.index, overloaded: false };

  const leastLoaded = workers.reduce((best, worker) => (worker.viewers < best.viewers ? worker : best));

  return { index: leastLoaded.index, overloaded: true };
}
