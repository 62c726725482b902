/**
 * The boundary between Podium and the machine's capture devices: which
 * video nodes exist, the listing commands (v4l2-ctl from v4l-utils, arecord
 * from alsa-utils), and the ffmpeg input that reads a device for the setup
 * screen. SystemDeviceLayer is the real machine; FakeDeviceLayer (tests)
 * returns recorded listings.
 */

import { readdir, realpath } from 'node:fs/promises';
import type { Supervisor } from '../../appliance/process/supervisor.js';

/** The end of a listing command: its exit code (null after a signal) and its output. */
export type CommandResult = { code: number | null; stdout: string; stderr: string };

export interface DeviceLayer {
  /** Returns the V4L2 device nodes present now, such as /dev/video0, in numeric order. */
  listVideoNodes(): Promise<string[]>;
  /**
   * Returns the stable path of each node that has one, such as
   * /dev/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_…-video-index0. udev makes
   * these links for USB cameras; they survive a reboot that renumbers nodes.
   */
  listStablePaths(): Promise<Map<string, string>>;
  /** Returns the node a camera path names: the link target of a stable path, else the path itself. */
  resolveNode(device: string): Promise<string>;
  /** Runs a listing command (v4l2-ctl or arecord) to its end. */
  run(command: 'v4l2-ctl' | 'arecord', args: string[]): Promise<CommandResult>;
  /** Returns the ffmpeg input arguments that read a camera with the chosen input options. */
  cameraInput(node: string, inputOptions: string[]): string[];
  /** Returns the ffmpeg input arguments that read an ALSA device with the chosen input options. */
  microphoneInput(device: string, inputOptions: string[]): string[];
}

/** A listing command that runs longer than this is stopped; v4l2-ctl and arecord usually take well under a second. */
const LISTING_TIMEOUT_MS = 10_000;

const VIDEO_NODE = /^video(\d+)$/;

/** The folder where udev links each USB camera node under a name made of vendor, model and serial number. */
const BY_ID = '/dev/v4l/by-id';

/** The machine's devices, listed through the supervisor. */
export class SystemDeviceLayer implements DeviceLayer {
  readonly #supervisor: Supervisor;

  constructor(supervisor: Supervisor) {
    this.#supervisor = supervisor;
  }

  async listVideoNodes(): Promise<string[]> {
    const names = await readdir('/dev');

    return names
      .map((name) => VIDEO_NODE.exec(name))
      .filter((match) => match !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((match) => `/dev/${match[0]}`);
  }

  async listStablePaths(): Promise<Map<string, string>> {
    const paths = new Map<string, string>();
    const names = await readdir(BY_ID).catch(() => [] as string[]);

    for (const name of names.sort()) {
      const path = `${BY_ID}/${name}`;
      const node = await realpath(path).catch(() => undefined);

      if (node && !paths.has(node)) paths.set(node, path);
    }

    return paths;
  }

  async resolveNode(device: string): Promise<string> {
    return realpath(device).catch(() => device);
  }

  async run(command: 'v4l2-ctl' | 'arecord', args: string[]): Promise<CommandResult> {
    const stdout: Buffer[] = [];
    const stderr: string[] = [];
    // arecord translates its messages through gettext; LC_ALL=C keeps them parseable.
    const process = this.#supervisor.start({
      name: command,
      command: '/usr/bin/env',
      args: ['LC_ALL=C', command, ...args],
      stopTimeoutMs: 1000,
      // The discovery logs what failed; arecord --dump-hw-params exits with 1 even when it succeeds.
      quiet: true,
      onStdout: (chunk) => stdout.push(chunk),
      consumeStderrLine: (line) => {
        stderr.push(line);

        return false;
      },
    });
    const timer = setTimeout(() => void process.stop(), LISTING_TIMEOUT_MS);
    const exit = await process.exited();

    clearTimeout(timer);

    return { code: exit.code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderr.join('\n') };
  }

  cameraInput(node: string, inputOptions: string[]): string[] {
    return ['-f', 'v4l2', ...inputOptions, '-i', node];
  }

  microphoneInput(device: string, inputOptions: string[]): string[] {
    return ['-f', 'alsa', ...inputOptions, '-i', device];
  }
}
