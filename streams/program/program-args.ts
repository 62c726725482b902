import { join } from 'node:path';
import Ffmpeg from 'fluent-ffmpeg';
import type { PodiumConfig } from '../../appliance/config/schema.js';
import { ffmpegArguments } from '../../appliance/process/ffmpeg.js';
import { h264Level } from '../../capture/venue-source-args.js';
import { HLS_SEGMENT_SECONDS } from '../hls/hls-files.js';
import { AUDIO_INPUTS, FILTER_NAMES, VIDEO_INPUTS, type SceneSettings } from './program-layout.js';
import type { Rendition } from './renditions.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const BOLD_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const RTP_PACKET_SIZE = 1200;

/**
 * The resampler of each audio input. It follows the arrival timestamps
 * slowly (at most 100 samples a second) and jumps only over gaps of more
 * than 0.5 s, such as a restarted capture or a source that replaced its
 * stand-in. The captures have already resampled their microphones to the
 * wall clock.
 */
export const INPUT_AUDIO_FILTER = 'aresample=async=100:min_hard_comp=0.5';

/** Levels each voice: a gentle compressor with make-up gain. */
const LEVELLER = 'acompressor=threshold=0.125:ratio=3:attack=5:release=250:makeup=2';

/** Unreferenced segments kept after they left the playlist, for slow players (about 20 s). */
const KEPT_OLD_SEGMENTS = 20;

/** The room's ports and stream ids for one program stream the compositor sends. */
export type ProgramRtpTarget = { rtpPort: number; rtcpPort: number; ssrc: number; payloadType: number };

export type ProgramArgsInput = {
  /** One SDP per input, describing the room's stream for it (VIDEO_INPUTS, then AUDIO_INPUTS). */
  sdpPaths: string[];
  /**
   * Seconds since the epoch that become time 0 of every input: inputs are
   * timestamped with the wall clock on arrival, and one common origin keeps
   * them aligned (ffmpeg would otherwise start each input at 0 on its own).
   */
  clockOrigin: number;
  /**
   * Seconds after the origin at which this process starts: the sound begins
   * there, with silence until the first voice arrives. The origin stays the
   * same across restarts, so timestamps go on rising after one.
   */
  startSeconds: number;
  zmqPort: number;
  width: number;
  height: number;
  fps: number;
  renditions: Rendition[];
  encoding: PodiumConfig['encoding'];
  /** The scene the compositor starts with (after a restart: the one on air). */
  scene: SceneSettings;
  /** Files the lower third reads its two lines from (reloaded every frame). */
  lowerThird: { titleFile: string; nameFile: string };
  /** The file the burned-in captions read their lines from (reloaded every frame). */
  captionsFile: string;
  outputDir: string;
  /** The name ffmpeg gives each rendition's playlist, which Podium then publishes. */
  encoderPlaylistName: (rendition: Rendition) => string;
  playlistSegments: number;
  video: ProgramRtpTarget;
  audio: ProgramRtpTarget;
};

function even(value: number): number {
  return Math.round(value / 2) * 2;
}

/** Returns the places of the layers on a program of the given size (designed for 1280x720, scaled). */
export function programGeometry(width: number, height: number) {
  const unit = width / 1280;
  const margin = even(24 * unit);
  const inset = { width: even(384 * unit), height: even(216 * unit) };
  const corner = { width: even(width / 4), height: even(height / 4) };

  return {
    half: { width: even(width / 2), height: even(height / 2), y: even(height / 4) },
    corner: { ...corner, x: width - corner.width - margin, y: height - corner.height - margin },
    interpreter: { ...inset, x: margin, y: height - inset.height - margin },
    lowerThird: {
      x: margin * 2 + inset.width,
      titleY: height - even(150 * unit),
      nameY: height - even(96 * unit),
      titleSize: Math.round(32 * unit),
      nameSize: Math.round(26 * unit),
      border: even(12 * unit),
    },
    // Above the lower third, centred: two lines of about 50 characters fit the width.
    captions: { bottom: height - even(176 * unit), size: Math.round(30 * unit), border: even(10 * unit) },
  };
}

/**
 * Scales to the box keeping the aspect ratio, with black bars where it does
 * not fill. Both filters evaluate each frame, so an input that changes size
 * (a stand-in replaced by a shared screen) needs no rebuild of the graph,
 * which would reset the scene to the one the compositor started with.
 */
function fit(width: number, height: number): string {
  return (
    `scale=${width}:${height}:force_original_aspect_ratio=decrease:eval=frame,` +
    `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:eval=frame,setsar=1`
  );
}

function assertPlainPath(path: string): void {
  if (/[:'\\|[\],;]/.test(path)) {
    throw new Error(`the program output path "${path}" contains a character ffmpeg's option syntax reserves (: ' \\ | [ ] , ;); choose a path without it`);
  }
}

function lowerThirdText(name: string, file: string, font: string, size: number, y: number, x: number, border: number, on: boolean): string {
  return (
    `drawtext@${name}=fontfile=${font}:textfile=${file}:reload=1:x=${x}:y=${y}:fontsize=${size}:` +
    `fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=${border}:expansion=none:enable=${on ? 1 : 0}`
  );
}

/**
 * Builds the compositor's filter graph. Every video input is scaled to the
 * sizes its layers need, streamselect picks the base picture, and the layers
 * are overlaid in a fixed order with the interpreter inset and the lower
 * third last, so that no layout covers them. One split feeds each rendition.
 * The voices are levelled, mixed, limited below full scale and split for AAC
 * and Opus.
 */
export function buildProgramGraph(input: ProgramArgsInput): string {
  const { width, height, fps, scene } = input;
  const geometry = programGeometry(width, height);
  const { half, corner, interpreter, lowerThird, captions } = geometry;
  const origin = Math.floor(input.clockOrigin);
  const [camera, slides, remote, sign, lectern] = VIDEO_INPUTS.map((_, index) => `[${index}:v]setpts=PTS-${origin}/TB,`);
  const on = (flag: boolean) => (flag ? 1 : 0);
  const filters = [
    `${camera}${fit(width, height)},split=2[cameraFull][venueHalfIn]`,
    `[venueHalfIn]scale=${half.width}:${half.height}[venueHalf]`,
    `${lectern}${fit(half.width, half.height)}[lecternHalf]`,
    // The speaker's small picture: the lectern laptop's camera while it publishes, else the hall camera.
    `[venueHalf][lecternHalf]${FILTER_NAMES.speaker}=inputs=2:map=${scene.speaker},split=2[cameraHalf][cameraCornerIn]`,
    `[cameraCornerIn]scale=${corner.width}:${corner.height}[cameraCorner]`,
    `${slides}${fit(width, height)},split=2[slidesFull][slidesHalfIn]`,
    `[slidesHalfIn]scale=${half.width}:${half.height}[slidesHalf]`,
    `${remote}${fit(width, height)}[remoteFull]`,
    `${sign}${fit(interpreter.width, interpreter.height)}[interpreter]`,
    `color=c=black:s=${width}x${height}:r=${fps}[black]`,
    `[cameraFull][slidesFull][remoteFull][black]${FILTER_NAMES.base}=inputs=4:map=${scene.base},` +
      `zmq=bind_address=tcp\\\\://127.0.0.1\\\\:${input.zmqPort}[base]`,
    `[base][slidesHalf]${FILTER_NAMES.slidesHalf}=x=0:y=${half.y}:enable=${on(scene.slidesHalf)}[layer1]`,
    `[layer1][cameraHalf]${FILTER_NAMES.cameraHalf}=x=${width - half.width}:y=${half.y}:enable=${on(scene.cameraHalf)}[layer2]`,
    `[layer2][cameraCorner]${FILTER_NAMES.cameraCorner}=x=${corner.x}:y=${corner.y}:enable=${on(scene.cameraCorner)}[layer3]`,
    `[layer3][interpreter]${FILTER_NAMES.interpreter}=x=${interpreter.x}:y=${interpreter.y}:enable=${on(scene.interpreter)},` +
      lowerThirdText(FILTER_NAMES.lowerThirdTitle.split('@')[1]!, input.lowerThird.titleFile, BOLD_FONT,
        lowerThird.titleSize, lowerThird.titleY, lowerThird.x, lowerThird.border, scene.lowerThird) + ',' +
      lowerThirdText(FILTER_NAMES.lowerThirdName.split('@')[1]!, input.lowerThird.nameFile, FONT,
        lowerThird.nameSize, lowerThird.nameY, lowerThird.x, lowerThird.border, scene.lowerThird) + ',' +
      `${FILTER_NAMES.captions}=fontfile=${FONT}:textfile=${input.captionsFile}:reload=1:x=(w-text_w)/2:` +
      `y=${captions.bottom}-text_h:fontsize=${captions.size}:line_spacing=${Math.round(captions.size / 4)}:fontcolor=white:` +
      `box=1:boxcolor=black@0.75:boxborderw=${captions.border}:expansion=none:enable=${on(scene.captions)},` +
      // start_time: the picture starts with the sound at the process start (the
      // first frame is repeated until then), so no segment has seconds of sound
      // without picture.
      `fps=${fps}:start_time=${input.startSeconds.toFixed(3)},format=yuv420p,split=${input.renditions.length}` +
      input.renditions.map((_, index) => `[scaled${index}]`).join(''),
    ...input.renditions.map((rendition, index) =>
      index === 0 ? `[scaled0]null[video0]` : `[scaled${index}]scale=${rendition.width}:${rendition.height}[video${index}]`,
    ),
    ...AUDIO_INPUTS.map(
      (_, index) => `[${VIDEO_INPUTS.length + index}:a]asetpts=PTS-${origin}/TB,${INPUT_AUDIO_FILTER},${LEVELLER}[voice${index}]`,
    ),
    AUDIO_INPUTS.map((_, index) => `[voice${index}]`).join('') +
      `amix=inputs=${AUDIO_INPUTS.length}:normalize=0:dropout_transition=0,` +
      // first_pts: silence from the process start until the first voice
      // arrives, so that every segment has sound (the audio inputs open after
      // the video ones, and hls.js fails on a first segment without audio).
      `alimiter=limit=0.89:level=0,aresample=async=1:first_pts=${Math.round(input.startSeconds * 48000)},asplit=2[aac][opus]`,
  ];

  return filters.join(';');
}

function rtpUrl(target: ProgramRtpTarget): string {
  return `rtp://127.0.0.1:${target.rtpPort}?rtcpport=${target.rtcpPort}&localaddr=127.0.0.1&pkt_size=${RTP_PACKET_SIZE}`;
}

/** Formats one output of the tee muxer: the encoded streams it takes, its muxer options and its destination. */
function teeSlave(select: string, options: Record<string, string | number>, destination: string): string {
  const list = Object.entries(options).map(([name, value]) => `${name}=${value}`);

  return `[select=\\'${select}\\':${list.join(':')}]${destination}`;
}

/**
 * Builds the compositor command: one ffmpeg that reads every room input
 * (timestamped on arrival, so that inputs from different senders share one
 * clock), composes the scene, encodes H.264 once per rendition (Constrained
 * Baseline, no B-frames, a keyframe every second and no scene-cut
 * keyframes), AAC once and Opus once, and hands the encoded streams to a tee:
 * one HLS playlist per rendition (all sharing the AAC) and the top rendition
 * with the Opus sound back into the room as the program.
 */
export function buildProgramArgs(input: ProgramArgsInput): string[] {
  const { outputDir, encoding, renditions, fps } = input;

  assertPlainPath(outputDir);
  assertPlainPath(input.lowerThird.titleFile);
  assertPlainPath(input.captionsFile);
  assertPlainPath(input.lowerThird.nameFile);

  const command = Ffmpeg();

  if (input.sdpPaths.length !== VIDEO_INPUTS.length + AUDIO_INPUTS.length) {
    throw new Error(`the compositor takes ${VIDEO_INPUTS.length + AUDIO_INPUTS.length} inputs, not ${input.sdpPaths.length}`);
  }
  for (const sdpPath of input.sdpPaths) {
    command
      .input(sdpPath)
      .inputFormat('sdp')
      .inputOptions([
        '-protocol_whitelist', 'file,udp,rtp',
        // Inputs from different senders share one clock: their arrival.
        '-use_wallclock_as_timestamps', '1',
        // An input that changes size goes through the scale filters as it is (see fit()).
        '-reinit_filter', '0',
        // The reorder queue stays: packets a browser had to send again arrive
        // late, and an RtpRelay keeps the numbers continuous across sources.
        '-buffer_size', String(4 * 1024 * 1024),
        '-thread_queue_size', '1024',
        // The SDP names each codec; the decoders learn the rest from the first packets.
        '-analyzeduration', '200000',
        '-probesize', '65536',
      ]);
  }
  const hlsOptions = {
    f: 'hls',
    hls_time: HLS_SEGMENT_SECONDS,
    hls_list_size: input.playlistSegments,
    hls_delete_threshold: KEPT_OLD_SEGMENTS,
    // append_list: a restarted compositor continues the playlist with the next
    // sequence number after an EXT-X-DISCONTINUITY instead of starting at 0.
    hls_flags: 'delete_segments+independent_segments+temp_file+program_date_time+append_list',
    hls_segment_type: 'mpegts',
  };
  const slaves = [
    ...renditions.map((rendition, index) =>
      teeSlave(
        `v:${index},a:0`,
        { ...hlsOptions, hls_segment_filename: join(outputDir, `${rendition.name}-%06d.ts`) },
        join(outputDir, input.encoderPlaylistName(rendition)),
      ),
    ),
    teeSlave('v:0', { f: 'rtp', payload_type: input.video.payloadType, ssrc: input.video.ssrc }, rtpUrl(input.video)),
    teeSlave('a:1', { f: 'rtp', payload_type: input.audio.payloadType, ssrc: input.audio.ssrc }, rtpUrl(input.audio)),
  ];
  const videoOptions = renditions.flatMap((rendition, index) => [
    `-map`, `[video${index}]`,
    `-b:v:${index}`, `${rendition.videoKbps}k`,
    `-maxrate:v:${index}`, `${rendition.videoKbps}k`,
    `-bufsize:v:${index}`, `${Math.round(rendition.videoKbps / 2)}k`,
    `-level:v:${index}`, h264Level(rendition.width, rendition.height, fps),
  ]);

  command.complexFilter(buildProgramGraph(input));
  command.output(`${slaves.join('|')}`).outputOptions([
    ...videoOptions,
    '-map', '[aac]',
    '-map', '[opus]',
    '-c:v', 'libx264',
    '-preset', encoding.x264Preset,
    '-tune', 'zerolatency',
    '-profile:v', 'baseline',
    '-pix_fmt', 'yuv420p',
    '-g', String(fps),
    '-keyint_min', String(fps),
    '-sc_threshold', '0',
    '-bf', '0',
    '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-fps_mode', 'passthrough',
    '-c:a:0', 'aac',
    '-b:a:0', `${encoding.aacBitrateKbps}k`,
    '-c:a:1', 'libopus',
    '-b:a:1', `${encoding.opusBitrateKbps}k`,
    '-application:a:1', 'lowdelay',
    '-ar', '48000',
    '-ac', '2',
    '-f', 'tee',
  ]);

  // copyts: keep the arrival timestamps as they are; the graph subtracts the common origin.
  return ffmpegArguments(command, 'warning', ['-copyts']);
}
