import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
import { CommandPacer } from './command-pacer.js';
import {
  checkPreset,
  resolveMove,
  type PtzCapabilities,
  type PtzCloseReason,
  type PtzDriver,
  type PtzDriverEvents,
  type PtzMove,
} from './ptz-driver.js';
import { checkDirection, checkInteger, type Direction } from './ptz-values.js';
import { hexBytes, type ViscaReply } from './visca-replies.js';
import {
  VISCA_ADDRESS,
  VISCA_MEMORY,
  VISCA_PAN_SPEED,
  VISCA_TILT_SPEED,
  VISCA_ZOOM_SPEED,
  viscaHome,
  viscaMemoryRecall,
  viscaMemorySet,
  viscaPanTiltDrive,
  viscaPanTiltStop,
  viscaZoom,
} from './visca.js';

/** Minimum time between two pan/tilt drive (or two zoom) packets when the options give none. */
// NOTE: 100 ms is an estimate, not a value from a camera's manual, so tune it on site.
export const DEFAULT_VISCA_MIN_MOVE_INTERVAL_MS = 100;

export type ViscaDriverOptions = {
  /** Shown in logs and messages, for example "VISCA over UDP 192.168.1.50:52381". */
  name: string;
  /** The VISCA camera address, 1 to 7. */
  address: number;
  /** Minimum milliseconds between two pan/tilt drive packets, and between two zoom packets. */
  minMoveIntervalMs?: number;
  /** A variable zoom speed 0 to 7. Without it, the standard-speed zoom commands are sent. */
  zoomSpeed?: number;
  /**
   * Called with each reply the camera sends, after the driver has logged it.
   * The driver never waits for a reply. (PtzDriver's event map has no "reply"
   * event, and an EventEmitter with more events does not implement it.)
   */
  onReply?: (reply: ViscaReply) => void;
  logger: Logger;
};

/**
 * The PtzDriver logic shared by the VISCA transports. Subclasses send packets
 * over their link and pass received replies to handleReply().
 *
 * The driver never waits for the camera's ACK or completion before sending
 * the next packet, so a stop is never queued behind unanswered commands. Pan/tilt
 * drives and zooms go through a CommandPacer each: at most one packet per
 * minMoveIntervalMs, the latest request winning. stop(), zoom(0), home and
 * presets are sent at once and drop a pending coalesced move.
 *
 * A command resolves once its packet is handed to the link and the link
 * reports it sent. A move that waits in the pacer resolves at once. A failed
 * send rejects that command where it has one, emits "error" (only while a
 * listener is attached) and closes the driver as "device-gone".
 */
export abstract class ViscaDriver extends EventEmitter<PtzDriverEvents> implements PtzDriver {
  readonly profileName: string;
  readonly capabilities: PtzCapabilities = {
    commands: ['pan', 'tilt', 'zoom', 'home', 'presetRecall', 'presetSave'],
    panSpeed: VISCA_PAN_SPEED,
    tiltSpeed: VISCA_TILT_SPEED,
    presets: VISCA_MEMORY,
  };

  readonly address: number;
  protected readonly logger: Logger;
  readonly #zoomSpeed: number | undefined;
  readonly #onReply: ((reply: ViscaReply) => void) | undefined;
  readonly #movePacer: CommandPacer<Buffer>;
  readonly #zoomPacer: CommandPacer<Buffer>;
  #closed = false;
  /** Whether a drive or zoom was sent or is pending and not stopped, so close() sends the stop. */
  #moving = false;
  #zooming = false;

  constructor(options: ViscaDriverOptions) {
    super();
    checkInteger('VISCA camera address', options.address, VISCA_ADDRESS);
    if (options.zoomSpeed !== undefined) checkInteger('VISCA zoom speed', options.zoomSpeed, VISCA_ZOOM_SPEED);

    const interval = options.minMoveIntervalMs ?? DEFAULT_VISCA_MIN_MOVE_INTERVAL_MS;

    if (!Number.isFinite(interval) || interval < 0) {
      throw new RangeError(`minMoveIntervalMs must be a number of milliseconds from 0 up, got ${interval}`);
    }
    this.profileName = options.name;
    this.address = options.address;
    this.#zoomSpeed = options.zoomSpeed;
    this.#onReply = options.onReply;
    this.logger = options.logger.child({ ptzCamera: options.name });
    this.#movePacer = new CommandPacer(interval, (packet) => this.#transmit(packet), bufferEquals);
    this.#zoomPacer = new CommandPacer(interval, (packet) => this.#transmit(packet), bufferEquals);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one VISCA packet over the link. Resolves when the link reports it sent and rejects when that fails. */
  protected abstract sendPacket(packet: Buffer): Promise<void>;

  /** Releases the link after the packets handed to it so far have been sent. */
  protected abstract releaseLink(): void;

  async move(move: PtzMove): Promise<void> {
    this.#assertOpen();

    const resolved = resolveMove(move, this.capabilities, this.profileName);

    if (resolved.pan === 0 && resolved.tilt === 0) return this.stop();

    this.#moving = true;
    this.#movePacer.request(viscaPanTiltDrive(this.address, resolved));
  }

  async stop(): Promise<void> {
    this.#assertOpen();
    this.#moving = false;

    return this.#movePacer.sendNow(viscaPanTiltStop(this.address));
  }

  async zoom(direction: Direction): Promise<void> {
    this.#assertOpen();
    checkDirection('zoom', direction);

    const packet = viscaZoom(this.address, direction, this.#zoomSpeed);

    this.#zooming = direction !== 0;
    if (direction === 0) return this.#zoomPacer.sendNow(packet);

    this.#zoomPacer.request(packet);
  }

  /** Drops pending moves and zooms, because the camera drives to its home position by itself. */
  async home(): Promise<void> {
    this.#assertOpen();
    this.#dropPendingMoves();

    return this.#transmit(viscaHome(this.address));
  }

  /** Drops pending moves and zooms, because the camera drives to the preset by itself. */
  async recallPreset(preset: number): Promise<void> {
    this.#assertOpen();
    checkPreset(preset, this.capabilities, this.profileName);
    this.#dropPendingMoves();

    return this.#transmit(viscaMemoryRecall(this.address, preset));
  }

  async savePreset(preset: number): Promise<void> {
    this.#assertOpen();
    checkPreset(preset, this.capabilities, this.profileName);

    return this.#transmit(viscaMemorySet(this.address, preset));
  }

  close(): void {
    this.#close('closed');
  }

  /** Logs a reply the camera sent and passes it to onReply. Error replies log as warnings. */
  protected handleReply(reply: ViscaReply): void {
    const bytes = hexBytes(reply.bytes);

    if (reply.kind === 'error') {
      this.logger.warn({ reply: bytes, socket: reply.socket }, `PTZ camera replied with error: ${reply.description}`);
    } else if (reply.kind === 'unknown') {
      this.logger.warn({ reply: bytes }, 'PTZ camera sent bytes that are not a VISCA reply');
    } else {
      this.logger.debug({ reply: bytes, kind: reply.kind, socket: reply.socket }, 'PTZ camera replied');
    }
    this.#onReply?.(reply);
  }

  /**
   * Logs the failure, emits "error" when a listener is attached, and closes
   * the driver as device gone. Returns the error for the caller to throw.
   */
  protected fail(cause: unknown): Error {
    const error = new Error(
      `${this.profileName} failed and is treated as gone: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );

    if (this.#closed) return error;

    this.logger.error({ err: cause }, 'PTZ camera link failed');
    if (this.listenerCount('error') > 0) this.emit('error', error);
    this.#close('device-gone');

    return error;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`PTZ camera "${this.profileName}" is closed`);
  }

  #dropPendingMoves(): void {
    this.#movePacer.cancel();
    this.#zoomPacer.cancel();
    this.#movePacer.forgetLastSent();
    this.#zoomPacer.forgetLastSent();
    this.#moving = false;
    this.#zooming = false;
  }

  /** Sends a packet, and on a failure closes the driver as device gone and rejects. */
  async #transmit(packet: Buffer): Promise<void> {
    if (this.#closed) return;

    try {
      await this.sendPacket(packet);
    } catch (error) {
      throw this.fail(error);
    }
  }

  #close(reason: PtzCloseReason): void {
    if (this.#closed) return;

    const stopMove = this.#moving;
    const stopZoom = this.#zooming;

    this.#movePacer.cancel();
    this.#zoomPacer.cancel();
    if (reason === 'closed') {
      // A move or zoom still running is stopped before the link is released.
      if (stopMove) this.#sendQuietly(viscaPanTiltStop(this.address));
      if (stopZoom) this.#sendQuietly(viscaZoom(this.address, 0));
    }
    this.#closed = true;
    this.releaseLink();
    this.logger.info({ reason }, 'PTZ camera closed');
    this.emit('close', reason);
  }

  #sendQuietly(packet: Buffer): void {
    this.sendPacket(packet).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'PTZ camera stop before close failed');
    });
  }
}

function bufferEquals(a: Buffer, b: Buffer): boolean {
  return a.equals(b);
}
