import type { Direction } from './ptz-values.js';

/** The size of the synthetic scene the simulated camera looks at. */
export const SCENE = { width: 2560, height: 1440 } as const;

/** The part of the scene in view, in scene pixels. */
export type CropWindow = { x: number; y: number; width: number; height: number };

/** Pixels one pan or tilt step moves at zoom 1. */
const STEP_PX = 40;
const ZOOM_FACTOR = 1.1;

/**
 * The scene is a flat picture seen through a lens with this horizontal field
 * of view; its vertical one follows from the scene's aspect ratio.
 */
const SCENE_H_FOV = 90;

/** The view of the v360 filter, by its command names: angles in degrees. */
export type CameraView = { yaw: number; pitch: number; h_fov: number; v_fov: number };

const degrees = (value: number) => (value * 180) / Math.PI;
const TAN_H = Math.tan((SCENE_H_FOV / 2) * (Math.PI / 180));
const TAN_V = (TAN_H * SCENE.height) / SCENE.width;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Returns the view that shows a window of the scene: the camera turns to the
 * window's centre (yaw right, pitch up) and narrows its field of view to the
 * window's size. For the scene's centre this is exactly the crop of the
 * window. Away from it, the perspective bends the edges a little, as with a
 * real camera.
 */
export function viewOf(window: CropWindow): CameraView {
  const centreX = (window.x + window.width / 2 - SCENE.width / 2) / (SCENE.width / 2);
  const centreY = (window.y + window.height / 2 - SCENE.height / 2) / (SCENE.height / 2);

  return {
    yaw: round4(degrees(Math.atan(centreX * TAN_H))),
    pitch: round4(-degrees(Math.atan(centreY * TAN_V))) || 0,
    h_fov: round4(2 * degrees(Math.atan((window.width / SCENE.width) * TAN_H))),
    v_fov: round4(2 * degrees(Math.atan((window.height / SCENE.height) * TAN_V))),
  };
}

/** Returns the capture's v360 filter that shows the window at the output size, named "v360@ptz" for commands. */
export function viewFilter(window: CropWindow, output: { width: number; height: number }): string {
  const view = viewOf(window);

  return (
    `v360@ptz=input=flat:output=flat:ih_fov=${SCENE_H_FOV}:iv_fov=${round4(2 * degrees(Math.atan(TAN_V)))}:` +
    `yaw=${view.yaw}:pitch=${view.pitch}:h_fov=${view.h_fov}:v_fov=${view.v_fov}:w=${output.width}:h=${output.height}:` +
    // v360 adds each yaw or pitch command to the rotation so far; reset_rot makes the values absolute.
    'reset_rot=1'
  );
}

/** Sends one command to the capture's zmq filter and returns its reply. */
export type FilterCommandSender = (command: string) => Promise<string>;

/**
 * A PTZ camera simulated by moving a window over a larger synthetic scene
 * inside the running capture ffmpeg. Its v360 filter ("v360@ptz") turns and
 * zooms a virtual lens at the output size and takes yaw, pitch and field of
 * view commands through the zmq filter. A crop filter would be simpler, but
 * ffmpeg 5.1 stops the filter graph when a crop's size changes at runtime.
 */
export class SimulatedCamera {
  readonly output: { width: number; height: number };
  #window: CropWindow;
  readonly #send: FilterCommandSender;
  #sending: Promise<void> = Promise.resolve();
  /** The values the capture last confirmed; only changes are sent. */
  readonly #sent: Partial<CameraView> = {};

  constructor(output: { width: number; height: number }, send: FilterCommandSender) {
    this.output = output;
    this.#send = send;
    this.#window = this.#homeWindow();
    this.captureRestarted();
  }

  /** Records that a new capture starts from the current window, which it takes from its command line. */
  captureRestarted(): void {
    Object.assign(this.#sent, viewOf(this.#window));
  }

  /** The window in view now; a restarted capture starts from it. */
  get window(): CropWindow {
    return { ...this.#window };
  }

  /** Moves the window one step per axis: pan -1 left, 1 right; tilt -1 down, 1 up. */
  step(pan: Direction, tilt: Direction): Promise<void> {
    const step = Math.round((STEP_PX * this.#window.width) / this.output.width);

    return this.#setWindow({ ...this.#window, x: this.#window.x + pan * step, y: this.#window.y - tilt * step });
  }

  /** Zooms one step around the window's centre: 1 in, -1 out. */
  zoom(direction: Direction): Promise<void> {
    if (direction === 0) return Promise.resolve();

    const scale = direction > 0 ? 1 / ZOOM_FACTOR : ZOOM_FACTOR;
    const width = Math.round(this.#window.width * scale);
    const height = Math.round((width * this.output.height) / this.output.width);
    const centreX = this.#window.x + this.#window.width / 2;
    const centreY = this.#window.y + this.#window.height / 2;

    return this.#setWindow({ x: Math.round(centreX - width / 2), y: Math.round(centreY - height / 2), width, height });
  }

  home(): Promise<void> {
    return this.#setWindow(this.#homeWindow());
  }

  /** Moves straight to a window, for example a saved preset; it is clamped to the scene. */
  moveTo(window: CropWindow): Promise<void> {
    return this.#setWindow(window);
  }

  #homeWindow(): CropWindow {
    return {
      x: (SCENE.width - this.output.width) / 2,
      y: (SCENE.height - this.output.height) / 2,
      width: this.output.width,
      height: this.output.height,
    };
  }

  /** Clamps the window to the scene and sends it to ffmpeg, one command after the other. */
  #setWindow(wanted: CropWindow): Promise<void> {
    const minWidth = this.output.width / 4;
    const width = even(Math.min(SCENE.width, Math.max(minWidth, wanted.width)));
    const height = even(Math.min(SCENE.height, Math.round((width * this.output.height) / this.output.width)));
    const window = {
      width,
      height,
      x: even(Math.min(SCENE.width - width, Math.max(0, wanted.x))),
      y: even(Math.min(SCENE.height - height, Math.max(0, wanted.y))),
    };

    this.#window = window;
    this.#sending = this.#sending
      .catch(() => undefined)
      .then(async () => {
        const changed = Object.entries(viewOf(window)).filter(
          ([key, value]) => this.#sent[key as keyof CameraView] !== value,
        );

        for (const [key, value] of changed) {
          const reply = await this.#send(`v360@ptz ${key} ${value}`);

          this.#sent[key as keyof CameraView] = value;

          if (!reply.startsWith('0 ')) throw new Error(`the capture rejected "v360@ptz ${key} ${value}": ${reply}`);
        }
      });

    return this.#sending;
  }
}

function even(value: number): number {
  return Math.round(value / 2) * 2;
}
