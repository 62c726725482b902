import Ffmpeg from 'fluent-ffmpeg';
import type { Logger } from '../../appliance/log.js';
import { ffmpegArguments, resolveFfmpegPath } from '../../appliance/process/ffmpeg.js';
import { RestartingProcess } from '../../appliance/process/restarting-process.js';
import type { Supervisor } from '../../appliance/process/supervisor.js';
import type { Room, RtpIngest } from '../../appliance/sfu/room.js';
import { h264Ingest, opusIngest, vp8Ingest } from './ingest-parameters.js';
import type { ProgramVideoCodec } from './program-inputs.js';

/** Size of the stand-in picture; the compositor scales it, and it is never on air uncovered but as black. */
const WIDTH = 160;
const HEIGHT = 90;

type Stream = { ingest: RtpIngest; ssrc: number; payloadType: number };

function rtpOutput(stream: Stream): string {
  return `rtp://127.0.0.1:${stream.ingest.rtpPort}?rtcpport=${stream.ingest.rtcpPort}&localaddr=127.0.0.1&pkt_size=1200`;
}

/** Encoder options of the stand-in picture, in the codec of the program's video inputs. */
function videoEncoderOptions(codec: ProgramVideoCodec, fps: number): string[] {
  if (codec === 'vp8') {
    return ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', String(fps), '-b:v', '50k'];
  }

  return [
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p', '-g', String(fps), '-bf', '0', '-b:v', '50k',
  ];
}

/**
 * Builds the stand-in command: a small black picture at the program's frame
 * rate and silence, as H.264 (or VP8) and Opus RTP into the room.
 */
export function buildStandInArgs(video: Stream, audio: Stream, fps: number, codec: ProgramVideoCodec = 'h264'): string[] {
  const command = Ffmpeg()
    .input(`color=c=black:size=${WIDTH}x${HEIGHT}:rate=${fps}`)
    .inputFormat('lavfi')
    .inputOptions('-re')
    .input('anullsrc=r=48000:cl=stereo')
    .inputFormat('lavfi')
    .inputOptions('-re');

  command.output(rtpOutput(video)).outputOptions([
    '-map', '0:v',
    ...videoEncoderOptions(codec, fps),
    '-payload_type', String(video.payloadType), '-ssrc', String(video.ssrc), '-f', 'rtp',
  ]);
  command.output(rtpOutput(audio)).outputOptions([
    '-map', '1:a',
    '-c:a', 'libopus', '-b:a', '16k', '-application', 'lowdelay',
    '-payload_type', String(audio.payloadType), '-ssrc', String(audio.ssrc), '-f', 'rtp',
  ]);

  return ffmpegArguments(command);
}

/**
 * The stand-ins of the compositor's inputs: producers "stand-in-video" and
 * "stand-in-audio" in the room, black and silent, that the program takes
 * while a source it composes (slides, remote speaker, interpreter, their
 * voices) is missing. Its ffmpeg restarts with backoff and then publishes
 * new producers, which the program's inputs follow.
 */
export class StandInSource {
  readonly #process: RestartingProcess;
  readonly #streams: Stream[] = [];

  private constructor(process: RestartingProcess) {
    this.#process = process;
  }

  static async start(options: {
    room: Room;
    supervisor: Supervisor;
    fps: number;
    logger: Logger;
    /** The codec of the program's video inputs, which the stand-in picture must match (default H.264). */
    videoCodec?: ProgramVideoCodec;
  }): Promise<StandInSource> {
    const { room, fps } = options;
    const codec = options.videoCodec ?? 'h264';
    let args: string[] = [];
    const publish = async () => {
      for (const stream of source.#streams.splice(0)) stream.ingest.close();

      const video = codec === 'vp8' ? vp8Ingest() : h264Ingest('3.1');
      const audio = opusIngest();
      const videoStream = { ...video, ingest: await room.createRtpIngest('stand-in-video', 'video', video.rtpParameters) };
      const audioStream = { ...audio, ingest: await room.createRtpIngest('stand-in-audio', 'audio', audio.rtpParameters) };

      source.#streams.push(videoStream, audioStream);
      args = buildStandInArgs(videoStream, audioStream, fps, codec);
    };
    const process = new RestartingProcess({
      supervisor: options.supervisor,
      logger: options.logger.child({ process: 'stand-in' }),
      spec: () => ({ name: 'stand-in', command: resolveFfmpegPath(), args, logContext: { roomId: room.id } }),
      beforeRestart: publish,
    });
    const source = new StandInSource(process);

    await publish();
    process.start();

    return source;
  }

  async stop(): Promise<void> {
    await this.#process.stop();
    for (const stream of this.#streams.splice(0)) stream.ingest.close();
  }
}
