import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../appliance/http/page-routes.js';
import { DeviceListingError } from './listing-error.js';
import {
  checkVideoCapture,
  parseFfmpegFormatList,
  parseV4l2Listing,
  type DiscreteFrameSize,
  type V4l2Listing,
} from './v4l2-listing.js';

function fixture(name: string): string {
  return readFileSync(join(projectRoot(), 'test', 'fixtures', 'devices', name), 'utf8');
}

const C920 = 'v4l2-formats-logitech-c920.txt';
const MS2109 = 'v4l2-formats-ms2109-usb-video.txt';
const MS2109_METADATA = 'v4l2-formats-ms2109-video1-metadata-node.txt';
const HDMI_STICK = 'ffmpeg-list-formats-usb-hdmi-capture.txt';

/** The first lines of a v4l2-ctl listing, up to one format line. */
const YUYV_HEADER = ['ioctl: VIDIOC_ENUM_FMT', '\tType: Video Capture', '', "\t[0]: 'YUYV' (YUYV 4:2:2)"];

function discreteSize(
  listing: V4l2Listing,
  fourcc: string,
  width: number,
  height: number,
): DiscreteFrameSize | undefined {
  const format = listing.formats.find((candidate) => candidate.fourcc === fourcc);
  const size = format?.sizes.find(
    (candidate) => candidate.kind === 'discrete' && candidate.width === width && candidate.height === height,
  );

  return size?.kind === 'discrete' ? size : undefined;
}

function rates(size: DiscreteFrameSize | undefined): number[] {
  return (size?.intervals ?? []).map((interval) => (interval.kind === 'discrete' ? interval.fps : Number.NaN));
}

/** Returns the error that `parse` throws, or undefined. */
function thrownBy(parse: () => unknown): unknown {
  try {
    parse();
  } catch (error) {
    return error;
  }

  return undefined;
}

describe('parseV4l2Listing', () => {
  it('reads the C920 driver info', () => {
    const { driver } = parseV4l2Listing(fixture(C920));

    expect(driver?.driverName).toBe('uvcvideo');
    expect(driver?.cardType).toBe('HD Pro Webcam C920');
    expect(driver?.busInfo).toBe('usb-0000:0a:00.3-3');
    expect(driver?.driverVersion).toBe('6.5.7');
    expect(driver?.capabilities).toContain('Metadata Capture');
    expect(driver?.deviceCaps).toEqual(['Video Capture', 'Streaming', 'Extended Pix Format']);
  });

  it('reads older driver info indented by spaces', () => {
    const text = [
      'Driver Info (not using libv4l2):',
      '    Driver name   : pwc',
      '    Card type     : Logitech QuickCam Zoom',
      '    Capabilities  : 0x85000001',
      '        Video Capture',
      '        Read/Write',
    ].join('\n');
    const { driver } = parseV4l2Listing(text);

    expect(driver?.driverName).toBe('pwc');
    expect(driver?.cardType).toBe('Logitech QuickCam Zoom');
    expect(driver?.capabilities).toEqual(['Video Capture', 'Read/Write']);
    expect(driver?.deviceCaps).toBeNull();
  });

  it('reads C920 formats after the --all sections', () => {
    const { formats } = parseV4l2Listing(fixture(C920));

    // The "Format Video Capture" section also has a Pixel Format line, which is no listed format.
    expect(formats.map((format) => format.fourcc)).toEqual(['YUYV', 'H264', 'MJPG']);
  });

  it('reads C920 format flags and names', () => {
    const [yuyv, h264, mjpg] = parseV4l2Listing(fixture(C920)).formats;

    expect(yuyv?.description).toBe('YUYV 4:2:2');
    expect(yuyv?.compressed).toBe(false);
    expect(h264?.description).toBe('H.264');
    expect(h264?.compressed).toBe(true);
    expect(mjpg?.description).toBe('Motion-JPEG');
    expect(mjpg?.compressed).toBe(true);
  });

  it('maps fourccs to ffmpeg input formats', () => {
    const { formats } = parseV4l2Listing(fixture(C920));

    expect(formats.map((format) => format.inputFormat)).toEqual(['yuyv422', 'h264', 'mjpeg']);
  });

  it('reads C920 sizes and rates', () => {
    const listing = parseV4l2Listing(fixture(C920));

    expect(listing.formats[0]?.sizes).toHaveLength(19);
    expect(rates(discreteSize(listing, 'YUYV', 1920, 1080))).toEqual([5]);
    expect(rates(discreteSize(listing, 'YUYV', 1280, 720))).toEqual([10, 7.5, 5]);
    expect(rates(discreteSize(listing, 'MJPG', 1920, 1080))).toEqual([30, 24, 20, 15, 10, 7.5, 5]);
    expect(rates(discreteSize(listing, 'H264', 1920, 1080))).toEqual([30, 24, 20, 15, 10, 7.5, 5]);
  });

  it('reads the MS2109 listing', () => {
    const listing = parseV4l2Listing(fixture(MS2109));

    expect(listing.driver).toBeNull();
    expect(listing.formats.map((format) => format.fourcc)).toEqual(['MJPG', 'YUYV']);
    expect(listing.formats[0]?.sizes).toHaveLength(11);
    expect(listing.formats[1]?.sizes).toHaveLength(11);
    expect(rates(discreteSize(listing, 'MJPG', 1280, 720))).toEqual([60, 50, 30, 20, 10]);
    expect(rates(discreteSize(listing, 'YUYV', 1920, 1080))).toEqual([5]);
    expect(rates(discreteSize(listing, 'YUYV', 720, 576))).toEqual([25, 20, 10, 5]);
  });

  it('reads the metadata node as empty', () => {
    const listing = parseV4l2Listing(fixture(MS2109_METADATA));

    expect(listing.formats).toEqual([]);
    expect(listing.driver).toBeNull();
  });

  it('reads stepwise and continuous ranges', () => {
    const text = [
      'ioctl: VIDIOC_ENUM_FMT',
      '\tType: Video Capture',
      '',
      "\t[0]: 'YUYV' (YUYV 4:2:2)",
      '\t\tSize: Stepwise 32x32 - 1920x1080 with step 2/2',
      '\t\tSize: Continuous 16x16 - 640x480',
      '\t\tSize: Discrete 640x480',
      '\t\t\tInterval: Continuous 0.033s - 1.000s (1.000-30.000 fps)',
      '\t\t\tInterval: Stepwise 0.017s - 0.100s with step 0.001s (10.000-60.000 fps)',
    ].join('\n');
    const [format] = parseV4l2Listing(text).formats;

    expect(format?.sizes[0]).toEqual({
      kind: 'stepwise',
      minWidth: 32,
      maxWidth: 1920,
      stepWidth: 2,
      minHeight: 32,
      maxHeight: 1080,
      stepHeight: 2,
    });
    expect(format?.sizes[1]).toMatchObject({ kind: 'continuous', maxWidth: 640, stepWidth: 1 });
    expect(format?.sizes[2]).toEqual({
      kind: 'discrete',
      width: 640,
      height: 480,
      intervals: [
        { kind: 'continuous', minFps: 1, maxFps: 30 },
        { kind: 'stepwise', minFps: 10, maxFps: 60 },
      ],
    });
  });

  it('reads the listing of v4l-utils before 1.12', () => {
    const text = [
      'ioctl: VIDIOC_ENUM_FMT',
      '\tIndex       : 0',
      '\tType        : Video Capture',
      "\tPixel Format: 'MJPG' (compressed)",
      '\tName        : Motion-JPEG',
      '\t\tSize: Discrete 1280x720',
      '\t\t\tInterval: Discrete 0.033 s (30.000 fps)',
    ].join('\n');
    const [format] = parseV4l2Listing(text).formats;

    expect(format?.fourcc).toBe('MJPG');
    expect(format?.description).toBe('Motion-JPEG');
    expect(format?.compressed).toBe(true);
    expect(format?.sizes).toEqual([
      { kind: 'discrete', width: 1280, height: 720, intervals: [{ kind: 'discrete', fps: 30 }] },
    ]);
  });

  it('ends the listing at the next section', () => {
    const text = [
      'ioctl: VIDIOC_ENUM_FMT',
      "\t[0]: 'MJPG' (Motion-JPEG, compressed)",
      '\t\tSize: Discrete 1280x720',
      'Format Video Capture:',
      '\tWidth/Height      : 640/480',
      "\tPixel Format      : 'YUYV' (YUYV 4:2:2)",
    ].join('\n');
    const { formats } = parseV4l2Listing(text);

    expect(formats.map((format) => format.fourcc)).toEqual(['MJPG']);
  });

  it('accepts CRLF line endings', () => {
    const listing = parseV4l2Listing(fixture(MS2109).replace(/\n/g, '\r\n'));

    expect(rates(discreteSize(listing, 'MJPG', 1920, 1080))).toEqual([30, 25, 20, 10, 5]);
  });

  it('rejects a malformed size line by number', () => {
    const text = [...YUYV_HEADER, '\t\tSize: Discrete 640by480'].join('\n');
    const error = thrownBy(() => parseV4l2Listing(text));

    expect(error).toBeInstanceOf(DeviceListingError);
    expect((error as DeviceListingError).lineNumber).toBe(5);
    expect((error as Error).message).toContain('line 5');
    expect((error as Error).message).toContain('640by480');
  });

  it('rejects an interval without a size', () => {
    const text = [...YUYV_HEADER, '\t\t\tInterval: Discrete 0.033s (30.000 fps)'].join('\n');
    const error = thrownBy(() => parseV4l2Listing(text));

    expect(error).toBeInstanceOf(DeviceListingError);
    expect((error as Error).message).toMatch(/line 5: Interval line without a discrete Size line/);
  });

  it('rejects a zero frame rate', () => {
    const lines = [...YUYV_HEADER, '\t\tSize: Discrete 640x480', '\t\t\tInterval: Discrete 0.000s (0.000 fps)'];
    const text = lines.join('\n');

    expect(() => parseV4l2Listing(text)).toThrow(/line 6: 0\.000 is not a positive number/);
  });

  it('returns nothing for empty input', () => {
    expect(parseV4l2Listing('')).toEqual({ driver: null, formats: [] });
  });

  it('returns nothing for unrelated text', () => {
    const text = 'Cannot open device /dev/video9, exiting.\n[not a format]\nSize: large\n';

    expect(parseV4l2Listing(text)).toEqual({ driver: null, formats: [] });
  });
});

describe('parseFfmpegFormatList', () => {
  it('reads the USB HDMI stick formats', () => {
    const { formats } = parseFfmpegFormatList(fixture(HDMI_STICK));

    expect(formats.map((format) => format.ffmpegName)).toEqual(['mjpeg', 'yuyv422']);
    expect(formats.map((format) => format.inputFormat)).toEqual(['mjpeg', 'yuyv422']);
    expect(formats.map((format) => format.description)).toEqual(['Motion-JPEG', 'YUYV 4:2:2']);
    expect(formats.map((format) => format.compressed)).toEqual([true, false]);
    expect(formats.map((format) => format.fourcc)).toEqual([null, null]);
  });

  it('reads HDMI stick sizes without rates', () => {
    const [mjpeg] = parseFfmpegFormatList(fixture(HDMI_STICK)).formats;

    expect(mjpeg?.sizes).toHaveLength(11);
    expect(mjpeg?.sizes[0]).toEqual({ kind: 'discrete', width: 1920, height: 1080, intervals: null });
    expect(mjpeg?.sizes[10]).toEqual({ kind: 'discrete', width: 640, height: 480, intervals: null });
  });

  it('reads emulated formats and stepwise sizes', () => {
    const text =
      '[video4linux2,v4l2 @ 0x55d0] Raw       :     yuv420p :     Planar YUV 4:2:0 : Emulated : ' +
      '{32-1920, 2}x{32-1080, 2}';
    const [format] = parseFfmpegFormatList(text).formats;

    expect(format?.emulated).toBe(true);
    expect(format?.inputFormat).toBeNull();
    expect(format?.sizes).toEqual([
      { kind: 'stepwise', minWidth: 32, maxWidth: 1920, stepWidth: 2, minHeight: 32, maxHeight: 1080, stepHeight: 2 },
    ]);
  });

  it('rejects unreadable sizes by line', () => {
    const text = 'ffmpeg version 5.1\n[video4linux2,v4l2 @ 0x1] Raw : yuyv422 : YUYV 4:2:2 : 640x480 huge';

    expect(() => parseFfmpegFormatList(text)).toThrow(/line 2: expected sizes/);
  });

  it('ignores other log lines', () => {
    expect(parseFfmpegFormatList('/dev/video0: Immediate exit requested\n').formats).toEqual([]);
  });
});

describe('checkVideoCapture', () => {
  it('accepts the C920 capture node', () => {
    expect(checkVideoCapture(parseV4l2Listing(fixture(C920))).capturesVideo).toBe(true);
  });

  it('accepts the HDMI stick listing', () => {
    expect(checkVideoCapture(parseFfmpegFormatList(fixture(HDMI_STICK))).capturesVideo).toBe(true);
  });

  it('rejects the MS2109 metadata node', () => {
    const check = checkVideoCapture(parseV4l2Listing(fixture(MS2109_METADATA)));

    expect(check.capturesVideo).toBe(false);
    expect(check.reason).toContain('no video capture formats');
  });

  it('rejects metadata device caps', () => {
    const text = [
      'Driver Info:',
      '\tDriver name      : uvcvideo',
      '\tCard type        : HD Pro Webcam C920',
      '\tCapabilities     : 0x84a00001',
      '\t\tVideo Capture',
      '\t\tMetadata Capture',
      '\tDevice Caps      : 0x04a00000',
      '\t\tMetadata Capture',
      '\t\tStreaming',
    ].join('\n');
    const check = checkVideoCapture(parseV4l2Listing(text));

    expect(check.capturesVideo).toBe(false);
    expect(check.reason).toContain('metadata node');
  });
});
