import type { Direction } from './ptz-values.js';

/** The size of the synthetic scene the simulated camera looks at. */
export const SCENE = { width: 2560, height: 1440 } as const;

/** The part of the scene in view, in scene pixels. */
export type CropWindow = { x: number; y: number; width: number; height: number };

/** Pixels one pan or tilt step moves at zoom 1. */
const STEP_PX = 40;
const ZOOM_FACTOR = 1.1;

/** The crop values, by crop filter command name. */
type SentWindow = { w?: number; h?: number; x?: number; y?: number };

/** Sends one command to the capture's zmq filter and returns its reply. */
export type FilterCommandSender = (command: string) => Promise<string>;

/**
 * A PTZ camera simulated by moving a crop window over a larger synthetic
 * scene inside the running capture ffmpeg (its crop filter is named
 * "crop@ptz" and takes commands through the zmq filter). The output size
 * stays the same; zooming in takes a smaller window that the capture scales up.
 */
export class SimulatedCamera {
  readonly output: { width: number; height: number };
  #window: CropWindow;
  readonly #send: FilterCommandSender;
  #sending: Promise<void> = Promise.resolve();
  /** The values the capture last confirmed; only changes are sent. */
  readonly #sent: SentWindow = {};

  constructor(output: { width: number; height: number }, send: FilterCommandSender) {
    this.output = output;
    this.#send = send;
    this.#window = this.#homeWindow();
    this.captureRestarted();
  }

  /** Records that a new capture starts from the current window, which it takes from its command line. */
  captureRestarted(): void {
    Object.assign(this.#sent, { w: this.#window.width, h: this.#window.height, x: this.#window.x, y: this.#window.y });
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
        const changed = Object.entries({ w: window.width, h: window.height, x: window.x, y: window.y }).filter(
          ([key, value]) => this.#sent[key as keyof SentWindow] !== value,
        );

        for (const [key, value] of changed) {
          const reply = await this.#send(`crop@ptz ${key} ${value}`);

          this.#sent[key as keyof SentWindow] = value;

          if (!reply.startsWith('0 ')) throw new Error(`the capture rejected "crop@ptz ${key} ${value}": ${reply}`);
        }
      });

    return this.#sending;
  }
}

function even(value: number): number {
  return Math.round(value / 2) * 2;
}
