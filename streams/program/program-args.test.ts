import { describe, expect, it } from 'vitest';
import { buildProgramArgs, programGeometry, type ProgramArgsInput } from './program-args.js';
import { sceneSettings } from './program-layout.js';
import { renditionsFor } from './renditions.js';

const input: ProgramArgsInput = {
  sdpPaths: Array.from({ length: 8 }, (_, index) => `/data/hls/e/program-input-${index}.sdp`),
  clockOrigin: 1_800_000_000.5,
  startSeconds: 1,
  zmqPort: 41000,
  width: 1280,
  height: 720,
  fps: 30,
  renditions: renditionsFor(1280, 720, 2500),
  encoding: { videoBitrateKbps: 2500, x264Preset: 'veryfast', opusBitrateKbps: 64, aacBitrateKbps: 128 },
  scene: sceneSettings({ layout: 'slides', lecternCamera: false, interpreter: true, lowerThird: false, captions: false }),
  lowerThird: { titleFile: '/data/hls/e/title.txt', nameFile: '/data/hls/e/name.txt' },
  captionsFile: '/data/hls/e/captions.txt',
  outputDir: '/data/hls/e',
  encoderPlaylistName: (rendition) => `${rendition.name}-encoder.m3u8`,
  playlistSegments: 10,
  video: { rtpPort: 40000, rtcpPort: 40001, ssrc: 1234, payloadType: 102 },
  audio: { rtpPort: 40002, rtcpPort: 40003, ssrc: 5678, payloadType: 101 },
};

function valueOf(args: string[], option: string): string | undefined {
  const index = args.indexOf(option);

  return index < 0 ? undefined : args[index + 1];
}

describe('compositor command', () => {
  const args = buildProgramArgs(input);
  const graph = valueOf(args, '-filter_complex')!;
  const tee = args.at(-1)!;

  it('reads every input with arrival timestamps on one clock', () => {
    expect(args.filter((arg) => arg === '-use_wallclock_as_timestamps')).toHaveLength(8);
    expect(args).toContain('-copyts');
    expect(graph).toContain('[0:v]setpts=PTS-1800000000/TB');
    expect(graph).toContain('[7:a]asetpts=PTS-1800000000/TB');
    expect(graph).toContain('aresample=async=1:first_pts=48000');
    expect(graph).toContain('fps=30:start_time=1.000');
  });

  it('encodes H.264 once per rendition, Constrained Baseline with a keyframe every second', () => {
    expect(args.filter((arg) => arg === '-map')).toHaveLength(4);
    expect(valueOf(args, '-profile:v')).toBe('baseline');
    expect(valueOf(args, '-bf')).toBe('0');
    expect(valueOf(args, '-g')).toBe('30');
    expect(valueOf(args, '-sc_threshold')).toBe('0');
    expect(valueOf(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*1)');
    expect(valueOf(args, '-b:v:1')).toBe('700k');
    expect(graph).toContain('[scaled1]scale=640:360[video1]');
  });

  it('starts with the given scene', () => {
    expect(graph).toContain('streamselect@base=inputs=4:map=1');
    expect(graph).toContain('overlay@interpreter=x=24:y=480:enable=1');
    expect(graph).toContain('overlay@cameracorner=x=936:y=516:enable=0');
  });

  it('shares the encoded streams through one tee: two renditions and the room', () => {
    const slaves = tee.split('|');

    expect(valueOf(args, '-f')).toBe('sdp');
    expect(args.at(-2)).toBe('tee');
    expect(slaves).toHaveLength(4);
    expect(slaves[0]).toMatch(/^\[select=\\'v:0,a:0\\':f=hls:.*append_list.*\]\/data\/hls\/e\/720p-encoder\.m3u8$/);
    expect(slaves[1]).toContain("select=\\'v:1,a:0\\'");
    expect(slaves[2]).toBe("[select=\\'v:0\\':f=rtp:payload_type=102:ssrc=1234]rtp://127.0.0.1:40000?rtcpport=40001&localaddr=127.0.0.1&pkt_size=1200");
    expect(slaves[3]).toContain("select=\\'a:1\\':f=rtp:payload_type=101:ssrc=5678");
  });

  it('refuses an output path that ffmpeg\'s option syntax would split', () => {
    expect(() => buildProgramArgs({ ...input, outputDir: '/data/hls:x' })).toThrow(/"\/data\/hls:x"/);
  });

  it('keeps the interpreter inset and the lower third apart', () => {
    const { interpreter, lowerThird } = programGeometry(1280, 720);

    expect(lowerThird.x).toBeGreaterThan(interpreter.x + interpreter.width);
  });
});
