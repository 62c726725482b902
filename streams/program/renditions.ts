/** One HLS rendition of the program: its own H.264 encode at one size. */
export type Rendition = { name: string; width: number; height: number; videoKbps: number };

/** The renditions Podium offers, largest first; the program's size decides which apply. */
const LADDER = [
  { name: '1080p', height: 1080, videoKbps: 4500 },
  { name: '720p', height: 720, videoKbps: 2500 },
  { name: '360p', height: 360, videoKbps: 700 },
] as const;

function even(value: number): number {
  return Math.round(value / 2) * 2;
}

/**
 * Returns the renditions of a program of the given size: the program's own size
 * first (at the configured bitrate when it is 720p), then every smaller rung
 * of the ladder. None exceeds the program, so a 720p program has 720p and
 * 360p, and 1080p is added only when the program is 1080p.
 */
export function renditionsFor(width: number, height: number, topVideoKbps: number): Rendition[] {
  const top = LADDER.find((rung) => rung.height === height);
  // A 1080p program gets at least the 1080p rung's bitrate, so that its variant is not one with the 720p's.
  const topKbps = top && top.height > 720 ? Math.max(topVideoKbps, top.videoKbps) : topVideoKbps;
  const renditions: Rendition[] = [{ name: top?.name ?? `${height}p`, width, height, videoKbps: topKbps }];

  for (const rung of LADDER) {
    if (rung.height >= height) continue;
    renditions.push({ name: rung.name, width: even((width * rung.height) / height), height: rung.height, videoKbps: rung.videoKbps });
  }

  return renditions;
}
