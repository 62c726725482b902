import { existsSync } from 'node:fs';
import type { PodiumConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Supervisor } from '../process/supervisor.js';
import { listHidDevices, openHidPath } from '../../capture/ptz/hid-open.js';
import { loadProfile, ProfileError, type HidProfile } from '../../capture/ptz/hid-profile.js';
import { loadInputProfile, type InputProfile } from '../../capture/ptz/input-profile.js';
import { CAMERA_PROFILES_DIR, INPUT_PROFILES_DIR, resolveProfilePath } from '../../capture/ptz/profile-path.js';
import { UvcTransport } from '../../capture/ptz/uvc-transport.js';
import { openSerialPort, ViscaSerialTransport } from '../../capture/ptz/visca-serial-transport.js';
import { ViscaUdpTransport } from '../../capture/ptz/visca-udp-transport.js';
import { HidCameraLink, ReopeningCameraLink, type PtzCameraLink } from './ptz-camera-link.js';
import { PtzInput } from './ptz-input.js';
import type { PtzService } from './ptz-service.js';

/** A configured PTZ profile that cannot be loaded: a configuration error, so Podium exits with code 2. */
export class ProfileSettingError extends Error {
  override readonly name = 'ProfileSettingError';
}

/**
 * Loads a profile named in the configuration with the given loader (camera
 * profiles by default). Throws a ProfileSettingError that names the key, the value and the
 * problems of the file.
 */
export function loadConfiguredProfile<T = HidProfile>(
  key: string,
  value: string,
  shippedDir: string,
  load: (path: string) => T = loadProfile as (path: string) => T,
): T {
  const path = resolveProfilePath(value, shippedDir);

  try {
    return load(path);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    throw new ProfileSettingError(
      `key "${key}" has value "${value}", and ${error.message}\n` +
        `Give a shipped profile name (the files in ${shippedDir}) or the path of a valid profile file.`,
      { cause: error },
    );
  }
}

/**
 * Creates the link to the configured real PTZ camera, or returns undefined
 * for "none" and "simulated". Throws when ptz.hid.profile cannot be loaded.
 * The link is not started.
 */
export function createCameraLink(
  config: PodiumConfig['ptz'],
  supervisor: Supervisor,
  logger: Logger,
): PtzCameraLink | undefined {
  const log = logger.child({ module: 'ptz', ptzKind: config.camera });

  switch (config.camera) {
    case 'none':
    case 'simulated':
      return undefined;
    case 'hid': {
      const profile = loadConfiguredProfile('ptz.hid.profile', config.hid.profile, CAMERA_PROFILES_DIR);

      return new HidCameraLink({ profile, listDevices: listHidDevices, openPath: openHidPath, logger: log });
    }
    case 'visca-udp': {
      const { host, port, framing, address } = config.viscaUdp;

      return new ReopeningCameraLink({
        description: `VISCA over UDP ${host}`,
        open: () =>
          ViscaUdpTransport.open({ host, port: port === 0 ? undefined : port, framing, address, logger: log }),
        logger: log,
      });
    }
    case 'visca-serial': {
      const { device, baud, address } = config.viscaSerial;

      return new ReopeningCameraLink({
        description: `VISCA over serial ${device}`,
        open: async () => {
          if (!existsSync(device)) {
            throw new Error(`serial device ${device} not found; check the adapter and ptz.viscaSerial.device`);
          }
          // VISCA's line settings: 8 data bits, no parity, 1 stop bit, no echo or line editing.
          await supervisor.run({
            name: 'stty',
            quiet: true,
            command: 'stty',
            args: ['-F', device, String(baud), 'cs8', '-cstopb', '-parenb', 'raw', '-echo'],
          });

          return new ViscaSerialTransport({ port: await openSerialPort(device), path: device, address, logger: log });
        },
        logger: log,
      });
    }
    case 'uvc': {
      const { device } = config.uvc;

      return new ReopeningCameraLink({
        description: `UVC camera ${device}`,
        open: () =>
          UvcTransport.open({
            device,
            runCommand: async (args) => {
              const result = await supervisor.run({ name: 'v4l2-ctl', command: 'v4l2-ctl', args, quiet: true });

              return { code: result.code ?? 0, stdout: result.stdout };
            },
            logger: log,
          }),
        logger: log,
      });
    }
  }
}

/** Loads the joystick or keypad profile when ptz.input.enabled is set. Throws when it cannot be loaded. */
export function loadPtzInputProfile(config: PodiumConfig['ptz']): InputProfile | undefined {
  if (!config.input.enabled) return undefined;

  return loadConfiguredProfile('ptz.input.profile', config.input.profile, INPUT_PROFILES_DIR, loadInputProfile);
}

/** Creates and starts the joystick or keypad input for a loaded profile, or returns undefined without one. */
export function createPtzInput(
  profile: InputProfile | undefined,
  service: PtzService,
  logger: Logger,
): PtzInput | undefined {
  if (!profile) return undefined;

  const input = new PtzInput({
    profile,
    service,
    listDevices: listHidDevices,
    openPath: openHidPath,
    logger: logger.child({ module: 'ptz-input' }),
  });

  input.start();

  return input;
}
