import Ffmpeg from 'fluent-ffmpeg';
import type { PodiumConfig } from '../appliance/config/schema.js';
import { ffmpegArguments } from '../appliance/process/ffmpeg.js';

/** Payload types that the capture sends and the room's producers expect. */
export const VIDEO_PAYLOAD_TYPE = 102;
export const AUDIO_PAYLOAD_TYPE = 101;

/** Largest RTP packet we send; leaves room for SRTP and TURN overhead. */
const RTP_PACKET_SIZE = 1200;

const CLOCK_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export type RtpTarget = { rtpPort: number; rtcpPort: number; ssrc: number };

export type VenueCaptureInput = {
  venue: PodiumConfig['venue'];
  encoding: PodiumConfig['encoding'];
  video: RtpTarget;
  audio: RtpTarget;
};

/** H.264 levels with their maximum frame size and macroblock rate (ITU-T H.264 Table A-1). */
const H264_LEVELS = [
  { level: '3.1', idc: 31, maxFrameMacroblocks: 3600, maxMacroblocksPerSecond: 108000 },
  { level: '4.0', idc: 40, maxFrameMacroblocks: 8192, maxMacroblocksPerSecond: 245760 },
  { level: '4.2', idc: 42, maxFrameMacroblocks: 8704, maxMacroblocksPerSecond: 522240 },
  { level: '5.1', idc: 51, maxFrameMacroblocks: 36864, maxMacroblocksPerSecond: 983040 },
  { level: '5.2', idc: 52, maxFrameMacroblocks: 36864, maxMacroblocksPerSecond: 2073600 },
] as const;

export type H264Level = (typeof H264_LEVELS)[number]['level'];

/**
 * Returns the lowest H.264 level whose frame size and macroblock rate limits
 * fit the given size and rate: 3.1 for 720p30, 4.0 for 1080p30, 4.2 for
 * 1080p60, 5.1 and 5.2 for 2160p.
 */
export function h264Level(width: number, height: number, fps: number): H264Level {
  const frameMacroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const macroblocksPerSecond = frameMacroblocks * fps;
  const fitting = H264_LEVELS.find(
    (entry) =>
      frameMacroblocks <= entry.maxFrameMacroblocks && macroblocksPerSecond <= entry.maxMacroblocksPerSecond,
  );

  // The configuration allows at most 3840x2160 at 60 fps, which level 5.2 fits.
  return (fitting ?? H264_LEVELS[H264_LEVELS.length - 1]!).level;
}

/** Returns the profile-level-id of Constrained Baseline at the given level. */
export function profileLevelId(level: H264Level): string {
  const levelIdc = H264_LEVELS.find((entry) => entry.level === level)!.idc;

  return `42e0${levelIdc.toString(16).padStart(2, '0')}`;
}

function rtpUrl(target: RtpTarget): string {
  return `rtp://127.0.0.1:${target.rtpPort}?rtcpport=${target.rtcpPort}&pkt_size=${RTP_PACKET_SIZE}`;
}

function addVideoInput(command: Ffmpeg.FfmpegCommand, video: PodiumConfig['venue']['video']): void {
  const size = `${video.width}x${video.height}`;

  if (video.source === 'test-pattern') {
    command.input(`testsrc2=size=${size}:rate=${video.fps}`).inputFormat('lavfi').inputOptions('-re');

    return;
  }

  const options = ['-thread_queue_size', '512', '-framerate', String(video.fps), '-video_size', size];

  if (video.inputFormat !== 'auto') options.push('-input_format', video.inputFormat);
  command.input(video.device).inputFormat('v4l2').inputOptions(options);
}

function addAudioInput(command: Ffmpeg.FfmpegCommand, audio: PodiumConfig['venue']['audio']): void {
  if (audio.source === 'test-tone') {
    // A 1 kHz beep of 100 ms at the start of every second, at -6 dBFS.
    const beep = "aevalsrc='if(lt(mod(t,1),0.1),0.5*sin(2*PI*1000*t),0)':s=48000:c=mono";

    command.input(beep).inputFormat('lavfi').inputOptions('-re');

    return;
  }

  command.input(audio.device).inputFormat('alsa').inputOptions(['-thread_queue_size', '1024']);
}

/**
 * Returns the filter graph. The test pattern gets a burnt-in wall clock, and a
 * camera is scaled to the configured size. The audio is split into the
 * encoded signal and a meter branch, which logs peak and RMS level ten times a
 * second on stderr at the info level for AudioLevelParser. The meter uses
 * stderr because ametadata's file output is buffered and arrives in bursts.
 */
function filterGraph(video: PodiumConfig['venue']['video']): string {
  const clock =
    `drawtext=fontfile=${CLOCK_FONT}:text='%{localtime\\:%T}':fontsize=64:fontcolor=white:` +
    'box=1:boxcolor=black@0.6:boxborderw=12:x=(w-text_w)/2:y=h-text_h-40';
  const videoChain =
    video.source === 'test-pattern'
      ? `[0:v]${clock},format=yuv420p[vout]`
      : `[0:v]scale=${video.width}:${video.height},fps=${video.fps},format=yuv420p[vout]`;
  const meter =
    'asetnsamples=n=4800:p=0,astats=metadata=1:reset=1:measure_perchannel=none:' +
    'measure_overall=Peak_level+RMS_level,ametadata=mode=print,anullsink';

  return `${videoChain};[1:a]aresample=48000,asplit=2[aout][ameter];[ameter]${meter}`;
}

/**
 * Builds the capture command. One ffmpeg reads the venue camera and
 * microphone, or the built-in test pattern and tone. It encodes H.264
 * Constrained Baseline with a keyframe every second and no B-frames, so the
 * same encode suits WebRTC and HLS, and Opus. It sends both as RTP to the
 * room's plain transports.
 */
export function buildVenueCaptureArgs(input: VenueCaptureInput): string[] {
  const { venue, encoding } = input;
  const command = Ffmpeg();
  const fps = venue.video.fps;
  const bitrate = `${encoding.videoBitrateKbps}k`;
  const level = h264Level(venue.video.width, venue.video.height, fps);

  addVideoInput(command, venue.video);
  addAudioInput(command, venue.audio);
  command.complexFilter(filterGraph(venue.video));

  command.output(rtpUrl(input.video)).outputOptions([
    '-map', '[vout]',
    '-c:v', 'libx264',
    '-preset', encoding.x264Preset,
    '-tune', 'zerolatency',
    '-profile:v', 'baseline',
    '-level:v', level,
    '-r', String(fps),
    '-g', String(fps),
    '-keyint_min', String(fps),
    '-sc_threshold', '0',
    '-bf', '0',
    '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-b:v', bitrate,
    '-maxrate', bitrate,
    '-bufsize', `${Math.round(encoding.videoBitrateKbps / 2)}k`,
    '-payload_type', String(VIDEO_PAYLOAD_TYPE),
    '-ssrc', String(input.video.ssrc),
    '-f', 'rtp',
  ]);

  command.output(rtpUrl(input.audio)).outputOptions([
    '-map', '[aout]',
    '-c:a', 'libopus',
    '-b:a', `${encoding.opusBitrateKbps}k`,
    '-ac', '2',
    '-ar', '48000',
    '-application', 'lowdelay',
    '-payload_type', String(AUDIO_PAYLOAD_TYPE),
    '-ssrc', String(input.audio.ssrc),
    '-f', 'rtp',
  ]);

  return ffmpegArguments(command, 'info');
}
