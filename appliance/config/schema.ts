/**
 * The one configuration schema of Podium. Every leaf carries a description of
 * what it allows; error messages quote it. Keys marked "x-secret" are masked
 * in every message.
 */

export type VideoSourceKind = 'test-pattern' | 'v4l2' | 'raw-pipe';
export type AudioSourceKind = 'test-tone' | 'alsa' | 'raw-pipe';
export type PtzCameraKind = 'none' | 'simulated' | 'hid' | 'visca-udp' | 'visca-serial' | 'uvc';

/** Serial line speeds a VISCA camera may use; 9600 is VISCA's default. */
export const VISCA_BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200];

export type PodiumConfig = {
  http: { host: string; port: number };
  https: { enabled: boolean; host: string; port: number; certFile: string; keyFile: string };
  auth: { kioskAutoLogin: boolean; sessionHours: number; loginAttemptsPer15Minutes: number };
  privacy: { keepQuestions: boolean; recordingRetentionDays: number; operator: string; contact: string };
  dataDir: string;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  sfu: {
    listenIp: string;
    announcedAddress: string;
    port: number;
    rtcMinPort: number;
    rtcMaxPort: number;
    workers: number;
    viewersPerWorker: number;
  };
  venue: {
    video: {
      source: VideoSourceKind;
      device: string;
      inputFormat: 'auto' | 'mjpeg' | 'yuyv422' | 'h264';
      width: number;
      height: number;
      fps: number;
      pipe: string;
    };
    audio: { source: AudioSourceKind; device: string; pipe: string };
  };
  encoding: {
    videoBitrateKbps: number;
    x264Preset: string;
    opusBitrateKbps: number;
    aacBitrateKbps: number;
  };
  hls: { playlistSegments: number };
  watch: { hlsFallbackSeconds: number };
  ptz: {
    camera: PtzCameraKind;
    hid: { profile: string };
    viscaUdp: { host: string; port: number; framing: 'sony-header' | 'raw'; address: number };
    viscaSerial: { device: string; baud: number; address: number };
    uvc: { device: string };
    input: { enabled: boolean; profile: string };
  };
  turn: { urls: string[]; sharedSecret: string; credentialTtlSeconds: number };
  metrics: { token: string };
};

/** A shipped profile's file name without .json, or the path of a .json file. */
const PROFILE_NAME_OR_FILE = '^([a-z0-9-]+|.+\\.json)$';

const port = (fallback: number) => ({
  type: 'integer',
  minimum: 1,
  maximum: 65535,
  default: fallback,
  description: 'an integer from 1 to 65535',
});

const ipAddress = (fallback: string) => ({
  type: 'string',
  default: fallback,
  format: 'ip-address',
  description: 'an IPv4 or IPv6 address such as 0.0.0.0 or 192.168.1.20',
});

const integer = (minimum: number, maximum: number, fallback: number) => ({
  type: 'integer',
  minimum,
  maximum,
  default: fallback,
  description: `an integer from ${minimum} to ${maximum}`,
});

/** Picture sizes must be even: H.264 in 4:2:0 chroma halves both. */
const evenInteger = (minimum: number, maximum: number, fallback: number) => ({
  ...integer(minimum, maximum, fallback),
  multipleOf: 2,
  description: `an even integer from ${minimum} to ${maximum}`,
});

const oneOf = (values: string[], fallback: string) => ({
  type: 'string',
  enum: values,
  default: fallback,
  description: `one of ${values.join(', ')}`,
});

const flag = (fallback: boolean, description: string) => ({
  type: 'boolean',
  default: fallback,
  description: `true or false: ${description}`,
});

const text = (maxLength: number, description: string) => ({
  type: 'string',
  default: '',
  maxLength,
  description,
});

const section = (properties: Record<string, object>) => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties,
});

const { default: _rootDefault, ...rootSection } = section({
    http: section({
      host: {
        type: 'string',
        minLength: 1,
        default: '127.0.0.1',
        description: 'a host name or IP address for plain HTTP, such as 127.0.0.1 (the kiosk only)',
      },
      port: { ...port(8080), minimum: 0, description: 'an integer from 0 (any free port) to 65535' },
    }),
    https: section({
      enabled: flag(true, 'serve HTTPS, which browsers need for camera, microphone and screen sharing'),
      host: {
        type: 'string',
        minLength: 1,
        default: '0.0.0.0',
        description: 'a host name or IP address for HTTPS, such as 0.0.0.0 (every network)',
      },
      port: { ...port(8443), minimum: 0, description: 'an integer from 0 (any free port) to 65535' },
      certFile: text(4096, 'the path of a PEM certificate (chain), or empty for a self-signed one'),
      keyFile: text(4096, 'the path of the PEM private key of certFile, or empty for a self-signed one'),
    }),
    auth: section({
      kioskAutoLogin: flag(true, 'give /console and /stage opened on this machine over plain HTTP a staff session'),
      sessionHours: integer(1, 168, 12),
      loginAttemptsPer15Minutes: integer(3, 100, 10),
    }),
    privacy: section({
      keepQuestions: flag(false, 'keep questions, names and chat after an event ends'),
      recordingRetentionDays: integer(1, 3650, 30),
      operator: text(500, 'who runs Podium, for the privacy notice, such as "Stadtbücherei Musterstadt, Marktplatz 1"'),
      contact: text(500, 'how to reach the data protection contact, for the privacy notice'),
    }),
    dataDir: {
      type: 'string',
      minLength: 1,
      default: 'data',
      description: 'a directory path for the store and the HLS files (relative paths start at the working directory)',
    },
    log: section({
      level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    }),
    sfu: section({
      listenIp: ipAddress('0.0.0.0'),
      announcedAddress: {
        type: 'string',
        default: '',
        format: 'ip-address-or-empty',
        description:
          'the IP address browsers connect to, or empty to use the first non-loopback IPv4 address',
      },
      port: {
        ...port(40000),
        minimum: 0,
        description: 'an integer from 0 (any free port) to 65535, used for WebRTC over UDP and TCP',
      },
      rtcMinPort: port(40100),
      rtcMaxPort: port(40999),
      workers: {
        ...integer(0, 64, 0),
        description: 'an integer from 0 (one mediasoup worker per CPU core) to 64',
      },
      // mediasoup's own figure is about 500 consumers per worker; a viewer
      // takes two (camera and microphone), and ingest, HLS and pipes need room.
      viewersPerWorker: {
        ...integer(1, 10000, 200),
        description:
          'an integer from 1 to 10000: WebRTC viewers one worker serves before further viewers go to the next worker',
      },
    }),
    venue: section({
      video: section({
        source: oneOf(['test-pattern', 'v4l2', 'raw-pipe'], 'test-pattern'),
        device: {
          type: 'string',
          default: '/dev/video0',
          pattern: '^/dev/',
          description: 'a V4L2 device path such as /dev/video0 or /dev/v4l/by-id/usb-…-video-index0',
        },
        inputFormat: oneOf(['auto', 'mjpeg', 'yuyv422', 'h264'], 'auto'),
        width: evenInteger(320, 3840, 1280),
        height: evenInteger(180, 2160, 720),
        fps: integer(5, 60, 30),
        pipe: text(4096, 'for raw-pipe: the path of a named pipe that delivers raw yuv420p frames of width x height'),
      }),
      audio: section({
        source: oneOf(['test-tone', 'alsa', 'raw-pipe'], 'test-tone'),
        device: {
          type: 'string',
          default: 'default',
          minLength: 1,
          description: 'an ALSA device name such as hw:CARD=C920,DEV=0 or plughw:CARD=Mic',
        },
        pipe: text(4096, 'for raw-pipe: the path of a named pipe that delivers raw 16-bit mono PCM at 48 kHz'),
      }),
    }),
    encoding: section({
      videoBitrateKbps: integer(300, 20000, 2500),
      x264Preset: oneOf(
        ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'],
        'veryfast',
      ),
      opusBitrateKbps: integer(16, 256, 64),
      aacBitrateKbps: integer(32, 320, 128),
    }),
    hls: section({
      playlistSegments: integer(3, 600, 10),
    }),
    watch: section({
      hlsFallbackSeconds: integer(1, 60, 5),
    }),
    ptz: section({
      camera: oneOf(['none', 'simulated', 'hid', 'visca-udp', 'visca-serial', 'uvc'], 'simulated'),
      hid: section({
        profile: {
          type: 'string',
          default: 'logitech-ptz-pro-2',
          pattern: PROFILE_NAME_OR_FILE,
          description:
            'a shipped camera profile name such as logitech-ptz-pro-2, or the path of a profile file ending in .json',
        },
      }),
      viscaUdp: section({
        host: {
          type: 'string',
          default: '',
          maxLength: 253,
          description: 'the camera\'s IP address or host name, such as 192.168.1.50',
        },
        port: {
          ...port(0),
          minimum: 0,
          description: 'an integer from 0 (52381 with the sony-header framing, 1259 with raw) to 65535',
        },
        framing: oneOf(['sony-header', 'raw'], 'sony-header'),
        address: integer(1, 7, 1),
      }),
      viscaSerial: section({
        device: {
          type: 'string',
          default: '/dev/ttyUSB0',
          pattern: '^/dev/',
          description: 'a serial device path such as /dev/ttyUSB0 or /dev/serial/by-id/usb-…',
        },
        baud: {
          type: 'integer',
          enum: VISCA_BAUD_RATES,
          default: 9600,
          description: `one of ${VISCA_BAUD_RATES.join(', ')} (bits per second)`,
        },
        address: integer(1, 7, 1),
      }),
      uvc: section({
        device: {
          type: 'string',
          default: '/dev/video0',
          pattern: '^/dev/',
          description: 'a V4L2 device path such as /dev/video0 or /dev/v4l/by-id/usb-…-video-index0',
        },
      }),
      input: section({
        enabled: flag(false, 'steer the PTZ camera with a USB joystick or keypad'),
        profile: {
          type: 'string',
          default: 'logitech-f310-directinput',
          pattern: PROFILE_NAME_OR_FILE,
          description:
            'a shipped input profile name such as logitech-f310-directinput, ' +
            'or the path of a profile file ending in .json',
        },
      }),
    }),
    turn: section({
      urls: {
        type: 'array',
        default: [],
        maxItems: 8,
        items: {
          type: 'string',
          pattern: '^turns?:[^\\s]+$',
          maxLength: 256,
          description: 'a TURN URL starting with turn: or turns:, such as turn:turn.example.org:3478',
        },
        description:
          'a list of TURN server URLs such as turn:turn.example.org:3478 or ' +
          'turns:turn.example.org:443?transport=tcp, or empty for no TURN server',
      },
      sharedSecret: {
        type: 'string',
        default: '',
        maxLength: 256,
        'x-secret': true,
        description: "the TURN server's static-auth-secret (coturn use-auth-secret), at least 16 characters",
      },
      credentialTtlSeconds: integer(60, 86400, 3600),
    }),
    metrics: section({
      token: {
        type: 'string',
        default: '',
        maxLength: 256,
        'x-secret': true,
        description:
          'a bearer token of at least 16 characters that other machines send to read /metrics, ' +
          'or empty to serve /metrics only to loopback and staff',
      },
    }),
});

export const configSchema = { ...rootSection, $id: 'podium-config' };
