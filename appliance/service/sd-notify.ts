import type { Logger } from '../log.js';
import type { SupervisedProcess, Supervisor } from '../process/supervisor.js';

/**
 * Sends systemd service notifications (sd_notify: READY=1, WATCHDOG=1,
 * STOPPING=1) to the datagram socket that systemd names in NOTIFY_SOCKET.
 *
 * Node 20 cannot open a Unix datagram socket (node:dgram does UDP only, and
 * node:net only stream sockets), so one long-running socat forwards each
 * message that Podium writes to its standard input as one datagram. socat
 * decides nothing: every message, WATCHDOG=1 included, is written by
 * Podium's own event loop, so a blocked loop sends nothing. The unit needs
 * NotifyAccess=all because the datagrams come from socat's PID.
 */
export class SdNotifier {
  readonly #relay: SupervisedProcess;
  readonly #logger: Logger;

  private constructor(relay: SupervisedProcess, logger: Logger) {
    this.#relay = relay;
    this.#logger = logger;
  }

  /**
   * Starts the relay for NOTIFY_SOCKET, or returns undefined when Podium
   * does not run under systemd (no NOTIFY_SOCKET).
   */
  static start(notifySocket: string | undefined, supervisor: Supervisor, logger: Logger): SdNotifier | undefined {
    if (!notifySocket) return undefined;

    const address = notifySocket.startsWith('@')
      ? `ABSTRACT-SENDTO:${notifySocket.slice(1)}`
      : `UNIX-SENDTO:${notifySocket}`;
    const relay = supervisor.start({
      name: 'sd-notify',
      command: '/usr/bin/socat',
      args: ['-u', 'STDIN', address],
      stdin: 'pipe',
      stopTimeoutMs: 1000,
    });

    logger.info({ notifySocket }, 'systemd notifications enabled');

    return new SdNotifier(relay, logger.child({ module: 'sd-notify' }));
  }

  get running(): boolean {
    return this.#relay.running;
  }

  /** Sends one notification such as "READY=1"; a dead relay logs and drops it. */
  send(message: string): void {
    const stdin = this.#relay.stdin;

    if (!this.#relay.running || !stdin || stdin.destroyed) {
      this.#logger.warn({ message }, 'systemd notification dropped: the socat relay has exited');

      return;
    }
    // Newline-separated assignments are valid in one datagram, so it does not
    // matter when socat reads two writes at once.
    stdin.write(`${message}\n`);
  }

  /** Closes the relay's input; socat exits after forwarding what it has read. */
  async close(): Promise<void> {
    this.#relay.stdin?.end();
    await Promise.race([this.#relay.exited(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}
