import { spawn, type ChildProcess } from 'node:child_process';
import type { Room, RtpIngest } from '../../appliance/sfu/room.js';
import type { SourceLabel } from '../../appliance/sfu/source-labels.js';
import { h264Ingest, opusIngest } from '../../streams/program/ingest-parameters.js';

/** A test source that publishes into the room, as a page would with its source label. */
export type RoomSource = { ingest: RtpIngest; process: ChildProcess; stop(): Promise<void> };

function rtpUrl(ingest: RtpIngest): string {
  return `rtp://127.0.0.1:${ingest.rtpPort}?rtcpport=${ingest.rtcpPort}&localaddr=127.0.0.1&pkt_size=1200`;
}

async function run(ingest: RtpIngest, args: string[]): Promise<RoomSource> {
  const process = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args, rtpUrl(ingest)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => process.once('exit', () => resolve()));

  return {
    ingest,
    process,
    stop: async () => {
      process.kill('SIGKILL');
      await exited;
      ingest.close();
    },
  };
}

/** Publishes a plain coloured picture as H.264 under a source label. */
export async function publishColor(
  room: Room,
  source: SourceLabel,
  picture: { color: string; width: number; height: number; fps: number },
): Promise<RoomSource> {
  const video = h264Ingest('4.0');
  const ingest = await room.createRtpIngest(source, 'video', video.rtpParameters);

  return run(ingest, [
    '-re', '-f', 'lavfi', '-i', `color=c=${picture.color}:size=${picture.width}x${picture.height}:rate=${picture.fps}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
    '-g', String(picture.fps), '-bf', '0',
    '-payload_type', String(video.payloadType), '-ssrc', String(video.ssrc), '-f', 'rtp',
  ]);
}

/** Publishes a steady sine tone as Opus under a source label; gain 8 makes it full scale. */
export async function publishTone(room: Room, source: SourceLabel, frequency: number, gain = 1): Promise<RoomSource> {
  const audio = opusIngest();
  const ingest = await room.createRtpIngest(source, 'audio', audio.rtpParameters);

  return run(ingest, [
    '-re', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000`,
    '-af', `volume=${gain}`, '-ac', '2', '-c:a', 'libopus', '-b:a', '64k',
    '-payload_type', String(audio.payloadType), '-ssrc', String(audio.ssrc), '-f', 'rtp',
  ]);
}
