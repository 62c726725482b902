import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { MeetingRouter } from '../../appliance/sfu/meeting-router.js';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE } from '../../capture/venue-source-args.js';

/** A test track published into a meeting router, as a participant's page would publish it. */
export type MeetingSource = { producerId: string; stop(): Promise<void> };

/**
 * Runs ffmpeg sending RTP to a relay socket that forwards every packet to
 * the router's plain transport from one address. The transport learns its
 * sender from the first packet (comedia), and ffmpeg sends each output (each
 * simulcast layer, and RTCP) from a socket of its own.
 */
async function publish(
  router: MeetingRouter,
  peerId: string,
  source: string,
  kind: 'audio' | 'video',
  rtpParameters: Parameters<MeetingRouter['createRtpIngest']>[3],
  ffmpegArgs: (relayPort: number) => string[],
): Promise<MeetingSource> {
  const { producer, rtpPort } = await router.createRtpIngest(peerId, source, kind, rtpParameters);
  const relay = createSocket('udp4');

  await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', resolve));
  relay.on('message', (packet) => relay.send(packet, rtpPort, '127.0.0.1'));

  const process = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...ffmpegArgs(relay.address().port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => process.once('exit', () => resolve()));

  return {
    producerId: producer.id,
    stop: async () => {
      process.kill('SIGKILL');
      await exited;
      relay.close();
      producer.close();
    },
  };
}

function rtpUrl(port: number): string {
  return `rtp://127.0.0.1:${port}?rtcpport=${port}&localaddr=127.0.0.1&pkt_size=1200`;
}

/**
 * Publishes a picture as a meeting camera does: VP8 in two simulcast layers
 * (320x180 and 640x360), each with its own SSRC. Each layer has its own
 * colour, so a receiver's picture shows which layer it gets.
 */
export function publishMeetingCamera(
  router: MeetingRouter,
  peerId: string,
  colors: { low: string; high: string },
): Promise<MeetingSource> {
  const ssrcs = [randomInt(1, 2 ** 31), randomInt(1, 2 ** 31)] as const;
  const layer = (ssrc: number, size: string, bitrate: string, relayPort: number) => [
    '-map', '[v' + size + ']',
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '25', '-b:v', bitrate,
    '-payload_type', String(VIDEO_PAYLOAD_TYPE), '-ssrc', String(ssrc), '-f', 'rtp', rtpUrl(relayPort),
  ];

  return publish(
    router,
    peerId,
    'camera',
    'video',
    {
      codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PAYLOAD_TYPE, clockRate: 90000 }],
      encodings: [{ ssrc: ssrcs[0] }, { ssrc: ssrcs[1] }],
    },
    (relayPort) => [
      '-re', '-f', 'lavfi', '-i', `color=c=${colors.low}:size=320x180:rate=25`,
      '-re', '-f', 'lavfi', '-i', `color=c=${colors.high}:size=640x360:rate=25`,
      '-filter_complex', '[0:v]null[v320x180];[1:v]null[v640x360]',
      ...layer(ssrcs[0], '320x180', '150k', relayPort),
      ...layer(ssrcs[1], '640x360', '500k', relayPort),
    ],
  );
}

/** Publishes a steady sine tone as a meeting microphone does (Opus). */
export function publishMeetingTone(router: MeetingRouter, peerId: string, frequency: number): Promise<MeetingSource> {
  const ssrc = randomInt(1, 2 ** 31);

  return publish(
    router,
    peerId,
    'microphone',
    'audio',
    {
      codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }],
      encodings: [{ ssrc }],
    },
    (relayPort) => [
      '-re', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=48000`,
      '-af', 'volume=4', '-ac', '2', '-c:a', 'libopus', '-b:a', '64k',
      '-payload_type', String(AUDIO_PAYLOAD_TYPE), '-ssrc', String(ssrc), '-f', 'rtp', rtpUrl(relayPort),
    ],
  );
}
