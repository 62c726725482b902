import { spawn, type ChildProcess } from 'node:child_process';
import { findFreeTcpPort } from '../../streams/local-ports.js';
import { waitFor } from './wait-for.js';

/**
 * Debian's coturn on loopback with the TURN REST API (use-auth-secret). It
 * relays to loopback peers, which coturn refuses by default, so that a
 * browser can reach Podium on 127.0.0.1 through it.
 */
export class TurnTestServer {
  readonly port: number;
  readonly #process: ChildProcess;
  #output = '';

  private constructor(port: number, process: ChildProcess) {
    this.port = port;
    this.#process = process;
    process.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    process.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
  }

  static async start(sharedSecret: string): Promise<TurnTestServer> {
    const port = await findFreeTcpPort();
    const child = spawn(
      '/usr/bin/turnserver',
      [
        '-n', '--no-cli', '--no-tls', '--no-dtls', '--log-file', 'stdout', '--simple-log', '--verbose',
        '--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', String(port),
        '--min-port', '51000', '--max-port', '51999',
        '--use-auth-secret', '--static-auth-secret', sharedSecret, '--realm', 'podium.test',
        '--allow-loopback-peers', '--no-multicast-peers', '--fingerprint',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new TurnTestServer(port, child);

    await waitFor('coturn to listen', () => /listener opened on|Total (UDP|General) servers/i.test(server.#output), {
      timeoutMs: 15_000,
    }).catch((error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}; coturn output: ${server.#output.slice(-1500)}`);
    });

    return server;
  }

  /** coturn's log so far, which shows allocations and permissions. */
  get output(): string {
    return this.#output;
  }

  close(): void {
    this.#process.kill('SIGKILL');
  }
}
