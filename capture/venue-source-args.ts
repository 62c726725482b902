import Ffmpeg from 'fluent-ffmpeg';
import type { PodiumConfig } from '../appliance/config/schema.js';
import { ffmpegArguments } from '../appliance/process/ffmpeg.js';
import { SCENE, viewFilter, type CropWindow } from './ptz/simulated-camera.js';
import { timeCodeFilter } from './time-code.js';

/** Payload types that the capture sends and the room's producers expect. */
export const VIDEO_PAYLOAD_TYPE = 102;
export const AUDIO_PAYLOAD_TYPE = 101;

/** Largest RTP packet we send; leaves room for SRTP and TURN overhead. */
const RTP_PACKET_SIZE = 1200;

const CLOCK_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/**
 * The destination of one captured stream: the room's RTP and RTCP ports, the
 * SSRC its producer expects, and the local ports it sends from. The local ports
 * stay the same across restarts, because the room's comedia transport keeps
 * the source address of the first packet it received.
 */
export type RtpTarget = {
  rtpPort: number;
  rtcpPort: number;
  ssrc: number;
  localRtpPort: number;
  localRtcpPort: number;
};

export type VideoCaptureInput = {
  video: PodiumConfig['venue']['video'];
  encoding: PodiumConfig['encoding'];
  target: RtpTarget;
  /**
   * For the test pattern: the simulated PTZ camera's zmq port and the part of
   * the synthetic scene in view when the capture starts.
   */
  simulatedPtz?: { port: number; window: CropWindow };
  /**
   * For a V4L2 camera: the ffmpeg input arguments from the device layer,
   * with the mode chosen from its listing (-f v4l2 -input_format …
   * -video_size … -framerate … -i /dev/videoN). Without them the configured
   * device, size and rate are requested.
   */
  deviceInput?: string[];
  /**
   * For a V4L2 camera: adds a second output with two 320-pixel wide JPEG
   * pictures a second (mpjpeg on stdout), so that the setup screen shows
   * the camera while the capture holds it.
   */
  previewPictures?: boolean;
};

export type AudioCaptureInput = {
  audio: PodiumConfig['venue']['audio'];
  encoding: PodiumConfig['encoding'];
  target: RtpTarget;
  /**
   * For an ALSA microphone: the ffmpeg input arguments from the device layer,
   * with the channel count and rate chosen from its hardware parameters.
   */
  deviceInput?: string[];
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

/** Returns level_idc of an H.264 level, as two hex digits (1f for 3.1). */
export function h264LevelHex(level: H264Level): string {
  return H264_LEVELS.find((entry) => entry.level === level)!.idc.toString(16).padStart(2, '0');
}

/** Returns the profile-level-id of Constrained Baseline at the given level. */
export function profileLevelId(level: H264Level): string {
  return `42e0${h264LevelHex(level)}`;
}

function rtpUrl(target: RtpTarget): string {
  const query = [
    `rtcpport=${target.rtcpPort}`,
    `localrtpport=${target.localRtpPort}`,
    `localrtcpport=${target.localRtcpPort}`,
    'localaddr=127.0.0.1',
    `pkt_size=${RTP_PACKET_SIZE}`,
  ].join('&');

  return `rtp://127.0.0.1:${target.rtpPort}?${query}`;
}

function addVideoInput(
  command: Ffmpeg.FfmpegCommand,
  video: PodiumConfig['venue']['video'],
  deviceInput: string[] | undefined,
): void {
  const size = `${video.width}x${video.height}`;

  if (video.source === 'test-pattern') {
    command.input(`testsrc2=size=${size}:rate=${video.fps}`).inputFormat('lavfi').inputOptions('-re');

    return;
  }

  if (deviceInput) {
    addRawInput(command, ['-thread_queue_size', '512', ...deviceInput]);

    return;
  }

  const options = ['-thread_queue_size', '512', '-framerate', String(video.fps), '-video_size', size];

  if (video.source === 'raw-pipe') {
    // Frames are stamped when they arrive, as a camera's driver stamps them.
    options.push('-pixel_format', 'yuv420p', '-use_wallclock_as_timestamps', '1');
    command.input(video.pipe).inputFormat('rawvideo').inputOptions(options);

    return;
  }

  // V4L2 stamps each frame with the kernel's monotonic clock at capture,
  // which runs at the rate of the wall clock, so no correction is needed here.
  if (video.inputFormat !== 'auto') options.push('-input_format', video.inputFormat);
  command.input(video.device).inputFormat('v4l2').inputOptions(options);
}

/**
 * The built-in test tone (a lavfi source): a 1 kHz beep of 100 ms at the
 * start of every wall-clock second, at -6 dBFS, so that a listener on this
 * machine can measure audio latency. time(0) is read once per block of 480
 * samples (10 ms), when -re lets ffmpeg generate it, so a beep starts up to
 * 10 ms after its second.
 */
export const TEST_TONE = "aevalsrc='if(lt(mod(time(0),1),0.1),0.5*sin(2*PI*1000*t),0)':s=48000:c=mono:n=480";

function addAudioInput(
  command: Ffmpeg.FfmpegCommand,
  audio: PodiumConfig['venue']['audio'],
  deviceInput: string[] | undefined,
): void {
  if (audio.source === 'test-tone') {
    command.input(TEST_TONE).inputFormat('lavfi').inputOptions('-re');

    return;
  }

  if (audio.source === 'raw-pipe') {
    // Stamped on arrival, like ALSA input, which ffmpeg stamps with the wall clock.
    command
      .input(audio.pipe)
      .inputFormat('s16le')
      .inputOptions(['-thread_queue_size', '1024', '-ar', '48000', '-ac', '1', '-use_wallclock_as_timestamps', '1']);

    return;
  }

  if (deviceInput) {
    addRawInput(command, ['-thread_queue_size', '1024', ...deviceInput]);

    return;
  }
  command.input(audio.device).inputFormat('alsa').inputOptions(['-thread_queue_size', '1024']);
}

/** Adds an input given as ffmpeg arguments: the options, then -i and the input's name. */
function addRawInput(command: Ffmpeg.FfmpegCommand, args: string[]): void {
  const index = args.lastIndexOf('-i');

  command.input(args[index + 1]!).inputOptions(args.slice(0, index));
}

/**
 * Resampling that keeps a microphone in step with the wall clock. A
 * microphone's clock differs from the camera's: one 0.1% fast delivers 3.6 s
 * of extra audio per hour. Its input timestamps follow the wall clock,
 * because ALSA stamps each read. aresample compares them with the samples it
 * has output and changes the rate by the difference: 10 ms behind corrects
 * it by 1%. So a steady lag of the drift ratio in seconds remains: 1 ms at
 * 0.1%, 30 ms at 3%. async caps the correction at 2000 samples a second
 * (about 4% at 48 kHz). A difference over 300 ms (min_hard_comp), such as a
 * gap after an ALSA overrun, is filled with silence or cut at once. Shorter
 * ones are only stretched away. A capture held up for a moment stamps its
 * next reads late and then in a burst; stretched, a 300 ms hold-up moved the
 * sound by about 20 ms, not by 300 ms (measured with ffmpeg 5.1 reading a
 * named pipe). first_pts=0
 * pads or trims the start so that the output begins at timestamp 0, where
 * ffmpeg starts the input's timeline. The RTP muxer's sender reports map
 * that timestamp to the wall-clock time of the first packet.
 */
export const MICROPHONE_SYNC = 'aresample=48000:async=2000:min_hard_comp=0.3:first_pts=0';

function audioResampler(audio: PodiumConfig['venue']['audio']): string {
  // The built-in tone is generated at exactly 48 kHz in real time.
  return audio.source === 'test-tone' ? 'aresample=48000' : MICROPHONE_SYNC;
}

/**
 * The synthetic hall the simulated PTZ camera looks at (2560x1440): a lectern
 * area on the left (green), a screen on the right (blue), the audience along
 * the bottom (yellow), a red marker above the moving test picture in the
 * middle, each labelled. Tests find the red marker to see the camera move.
 */
export function syntheticScene(fps: number): string {
  const label = (text: string, x: number, y: number) =>
    `drawtext=fontfile=${CLOCK_FONT}:text='${text}':fontsize=56:fontcolor=white:x=${x}:y=${y}`;
  const background = [
    `color=c=0x1e293b:size=${SCENE.width}x${SCENE.height}:rate=${fps}`,
    'drawbox=x=120:y=160:w=520:h=360:color=0x15803d:t=fill',
    'drawbox=x=1920:y=160:w=520:h=360:color=0x1d4ed8:t=fill',
    'drawbox=x=120:y=1060:w=2320:h=260:color=0xca8a04:t=fill',
    'drawbox=x=1240:y=420:w=80:h=80:color=0xff0000:t=fill',
    label('Rednerpult', 200, 300),
    label('Leinwand', 2020, 300),
    label('Publikum', 1140, 1150),
  ].join(',');

  return `${background}[bg];testsrc2=size=640x360:rate=${fps}[fg];[bg][fg]overlay=960:540[out0]`;
}

/** The test picture's burnt-in wall clock, centred near the bottom. */
export const CLOCK =
  `drawtext=fontfile=${CLOCK_FONT}:text='%{localtime\\:%T}':fontsize=64:fontcolor=white:` +
  'box=1:boxcolor=black@0.6:boxborderw=12:x=(w-text_w)/2:y=h-text_h-40';

/**
 * The meter branch of the audio: peak and RMS level ten times a second,
 * logged on stderr at the info level for AudioLevelParser. It uses stderr
 * because ametadata's file output is buffered and arrives in bursts.
 */
export const METER =
  'asetnsamples=n=4800:p=0,astats=metadata=1:reset=1:measure_perchannel=none:' +
  'measure_overall=Peak_level+RMS_level,ametadata=mode=print,anullsink';

/** The setup screen's preview pictures: two a second, 320 pixels wide. */
export const PREVIEW_FILTER = 'fps=2,scale=320:-2';

/** The preview pictures' encoding: JPEG in ffmpeg's multipart format, which MultipartJpegReader splits. */
export const PREVIEW_OUTPUT = ['-c:v', 'mjpeg', '-q:v', '6', '-f', 'mpjpeg'];

/** Returns the options of the one H.264 encode: Constrained Baseline, a keyframe every second, no B-frames. */
function h264Options(video: PodiumConfig['venue']['video'], encoding: PodiumConfig['encoding'], target: RtpTarget): string[] {
  const fps = video.fps;
  const bitrate = `${encoding.videoBitrateKbps}k`;

  return [
    '-map', '[vout]',
    '-c:v', 'libx264',
    '-preset', encoding.x264Preset,
    '-tune', 'zerolatency',
    '-profile:v', 'baseline',
    '-level:v', h264Level(video.width, video.height, fps),
    '-r', String(fps),
    '-g', String(fps),
    '-keyint_min', String(fps),
    '-sc_threshold', '0',
    '-bf', '0',
    // Constant rate: a frame the camera did not deliver is repeated and counted in dup_frames.
    '-fps_mode', 'cfr',
    '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-b:v', bitrate,
    '-maxrate', bitrate,
    '-bufsize', `${Math.round(encoding.videoBitrateKbps / 2)}k`,
    '-payload_type', String(VIDEO_PAYLOAD_TYPE),
    '-ssrc', String(target.ssrc),
    '-f', 'rtp',
  ];
}

/**
 * Builds the video capture: the venue camera (or the built-in test pattern
 * with a burnt-in wall clock and time code, drawn after the simulated PTZ
 * view so that camera moves leave them in place) scaled to the configured size, encoded once as
 * H.264 for WebRTC and HLS alike, sent as RTP to the room.
 */
export function buildVideoCaptureArgs(input: VideoCaptureInput): string[] {
  const { video, simulatedPtz } = input;
  const command = Ffmpeg();
  let chain: string;

  if (video.source === 'test-pattern' && simulatedPtz) {
    const { port, window } = simulatedPtz;

    command.input(syntheticScene(video.fps)).inputFormat('lavfi').inputOptions('-re');
    chain =
      `[0:v]zmq=bind_address=tcp\\\\://127.0.0.1\\\\:${port},` +
      `${viewFilter(window, video)},${CLOCK},${timeCodeFilter()},format=yuv420p[vout]`;
  } else {
    // -r on the output makes a camera's rate constant: ffmpeg duplicates or
    // drops frames as they come. The fps filter would do the same but keeps
    // each frame until the next one arrives, which delays the picture by one.
    chain =
      video.source === 'test-pattern'
        ? `[0:v]${CLOCK},${timeCodeFilter()},format=yuv420p[vout]`
        : `[0:v]scale=${video.width}:${video.height},format=yuv420p[vout]`;
    addVideoInput(command, video, input.deviceInput);
  }

  const preview = input.previewPictures && video.source === 'v4l2';

  if (preview) chain = `${chain.slice(0, -'[vout]'.length)},split=2[vout][vsplit];[vsplit]${PREVIEW_FILTER}[vpreview]`;
  command.complexFilter(chain);
  command.output(rtpUrl(input.target)).outputOptions(h264Options(video, input.encoding, input.target));
  if (preview) command.output('pipe:1').outputOptions(['-map', '[vpreview]', ...PREVIEW_OUTPUT]);

  // Progress once a second on stderr, for the delivered frame rate (FrameRateMeter).
  return ffmpegArguments(command, 'warning', ['-progress', 'pipe:2', '-stats_period', '1']);
}

/**
 * Builds the slate that replaces a missing camera: a still picture with the
 * text "Bild folgt gleich" in the same size, encode and RTP stream as the
 * camera, so viewers keep their stream.
 */
export function buildSlateArgs(input: VideoCaptureInput): string[] {
  const { video } = input;
  const command = Ffmpeg();
  const text =
    `drawtext=fontfile=${CLOCK_FONT}:text='Bild folgt gleich':fontsize=72:fontcolor=white:` +
    'x=(w-text_w)/2:y=(h-text_h)/2';

  command
    .input(`color=c=0x111827:size=${video.width}x${video.height}:rate=${video.fps}`)
    .inputFormat('lavfi')
    .inputOptions('-re');
  command.complexFilter(`[0:v]${text},format=yuv420p[vout]`);
  command.output(rtpUrl(input.target)).outputOptions(h264Options(video, input.encoding, input.target));

  return ffmpegArguments(command);
}

/**
 * Builds the audio capture: the venue microphone (or the built-in tone),
 * encoded once as Opus and sent as RTP to the room, with a meter branch.
 */
export function buildAudioCaptureArgs(input: AudioCaptureInput): string[] {
  const command = Ffmpeg();

  addAudioInput(command, input.audio, input.deviceInput);
  command.complexFilter(`[0:a]${audioResampler(input.audio)},asplit=2[aout][ameter];[ameter]${METER}`);
  command.output(rtpUrl(input.target)).outputOptions([
    '-map', '[aout]',
    '-c:a', 'libopus',
    '-b:a', `${input.encoding.opusBitrateKbps}k`,
    '-ac', '2',
    '-ar', '48000',
    '-application', 'lowdelay',
    '-payload_type', String(AUDIO_PAYLOAD_TYPE),
    '-ssrc', String(input.target.ssrc),
    '-f', 'rtp',
  ]);

  return ffmpegArguments(command, 'info');
}
