/**
 * A device layer for tests and demos: cameras and microphones whose
 * listing commands return recorded listings and can be plugged and
 * unplugged at runtime. ffmpeg reads a plugged fake device from a lavfi
 * source (a moving test picture at the requested rate, a tone whose level
 * rises and falls), and an unplugged one from its node, which fails like a
 * removed camera does. The capture and the setup screen both read them so.
 */

import type { CommandResult, DeviceLayer } from './device-layer.js';

export type FakeCamera = {
  /** The node the camera appears as, such as /dev/video10. */
  node: string;
  /** `v4l2-ctl --list-formats-ext` output, optionally with the `--all` sections before it. */
  listing: string;
  /** The /dev/v4l/by-id link of the camera, if it has one. */
  stablePath?: string;
  /** When true, the node is listed but gone when v4l2-ctl opens it, as after a pulled cable. */
  vanishesOnOpen?: boolean;
  /** The frame rate the camera really delivers, below the requested one as in a dim hall; default: the request. */
  deliveredFps?: number;
};

export type FakeSoundCard = {
  number: number;
  /** The ALSA card id, such as "Mic". */
  id: string;
  /** The card name in brackets, such as "USB Mini Microphone". */
  name: string;
  /** `arecord --dump-hw-params` output of the card's device 0. */
  hwParams: string;
};

export class FakeDeviceLayer implements DeviceLayer {
  readonly #cameras = new Map<string, FakeCamera>();
  readonly #cards = new Map<string, FakeSoundCard>();
  /** Every listing command run so far, as "command arg …", for tests. */
  readonly commands: string[] = [];

  plugCamera(camera: FakeCamera): void {
    this.#cameras.set(camera.node, camera);
  }

  unplugCamera(node: string): void {
    this.#cameras.delete(node);
  }

  plugSoundCard(card: FakeSoundCard): void {
    this.#cards.set(card.id, card);
  }

  unplugSoundCard(id: string): void {
    this.#cards.delete(id);
  }

  async listVideoNodes(): Promise<string[]> {
    const nodes = [...this.#cameras.keys()];

    for (const camera of this.#cameras.values()) {
      if (camera.vanishesOnOpen) this.#cameras.delete(camera.node);
    }

    return nodes;
  }

  async listStablePaths(): Promise<Map<string, string>> {
    const paths = new Map<string, string>();

    for (const camera of this.#cameras.values()) {
      if (camera.stablePath) paths.set(camera.node, camera.stablePath);
    }

    return paths;
  }

  async resolveNode(device: string): Promise<string> {
    return this.nodeOf(device);
  }

  /** Returns the node of a camera, given its node or its stable path. */
  nodeOf(device: string): string {
    return [...this.#cameras.values()].find((camera) => camera.stablePath === device)?.node ?? device;
  }

  async run(command: 'v4l2-ctl' | 'arecord', args: string[]): Promise<CommandResult> {
    this.commands.push([command, ...args].join(' '));
    if (command === 'v4l2-ctl') return this.#v4l2Ctl(args);
    if (args[0] === '-l') return this.#arecordList();

    return this.#arecordDump(args);
  }

  cameraInput(node: string, inputOptions: string[]): string[] {
    if (!this.#cameras.has(this.nodeOf(node))) return ['-f', 'v4l2', ...inputOptions, '-i', node];

    const camera = this.#cameras.get(this.nodeOf(node))!;
    const requested = Number(inputOptions[inputOptions.indexOf('-framerate') + 1]) || 10;

    // The frame counter and the moving pattern of testsrc2 change every frame. A
    // small picture keeps tests cheap: the capture scales it to the target size.
    return ['-re', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=${camera.deliveredFps ?? requested}`];
  }

  microphoneInput(device: string, inputOptions: string[]): string[] {
    const cardId = /CARD=([^,]+)/.exec(device)?.[1];

    if (!cardId || !this.#cards.has(cardId)) return ['-f', 'alsa', ...inputOptions, '-i', device];

    // A 440 Hz tone whose amplitude swells and fades every two seconds, so that a meter moves.
    const tone = "aevalsrc='0.6*sin(2*PI*440*t)*(0.55+0.45*sin(PI*t))':s=48000:c=mono";

    return ['-re', '-f', 'lavfi', '-i', tone];
  }

  #v4l2Ctl(args: string[]): CommandResult {
    const node = args[args.indexOf('--device') + 1] ?? '';
    const camera = this.#cameras.get(this.nodeOf(node));

    // v4l2-ctl prints this and exits with 1 when the node cannot be opened.
    if (!camera) return { code: 1, stdout: '', stderr: `Cannot open device ${node}, exiting.` };

    return { code: 0, stdout: camera.listing, stderr: '' };
  }

  /** Prints the cards as alsa-utils' arecord -l does (aplay/aplay.c). */
  #arecordList(): CommandResult {
    if (this.#cards.size === 0) return { code: 1, stdout: '', stderr: 'arecord: device_list:279: no soundcards found...' };

    const lines = ['**** List of CAPTURE Hardware Devices ****'];
    const cards = [...this.#cards.values()].sort((a, b) => a.number - b.number);

    for (const card of cards) {
      lines.push(`card ${card.number}: ${card.id} [${card.name}], device 0: USB Audio [USB Audio]`);
      lines.push('  Subdevices: 1/1', '  Subdevice #0: subdevice #0');
    }

    return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
  }

  #arecordDump(args: string[]): CommandResult {
    const device = args[args.indexOf('-D') + 1] ?? '';
    const cardId = /CARD=([^,]+)/.exec(device)?.[1];
    const card = cardId ? this.#cards.get(cardId) : undefined;

    if (!card) {
      return { code: 1, stdout: '', stderr: `arecord: main:830: audio open error: No such file or directory` };
    }

    // arecord prints the parameters on stderr and then fails on its default sample format.
    return { code: 1, stdout: '', stderr: card.hwParams };
  }
}
