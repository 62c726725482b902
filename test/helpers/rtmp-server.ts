import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeTcpPort } from '../../streams/local-ports.js';
import { waitFor } from './wait-for.js';

const NGINX = '/usr/sbin/nginx';
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/** Returns whether something accepts TCP connections on a loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });

    socket.on('error', () => resolve(false));
  });
}

/**
 * A local RTMP server for tests: Debian's nginx with libnginx-mod-rtmp on a
 * loopback port, recording every stream it receives to FLV files (one per
 * connection), and optionally stunnel4 in front of it for RTMPS.
 */
export class RtmpTestServer {
  readonly dir: string;
  readonly port: number;
  readonly recordDir: string;
  #nginx: ChildProcess | undefined;
  #stunnel: ChildProcess | undefined;
  tlsPort: number | undefined;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
    this.recordDir = join(dir, 'records');
  }

  static async start(): Promise<RtmpTestServer> {
    const dir = mkdtempSync(join(tmpdir(), 'podium-rtmp-'));
    const server = new RtmpTestServer(dir, await findFreeTcpPort());

    mkdirSync(server.recordDir);
    mkdirSync(join(dir, 'logs'));
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        `load_module ${RTMP_MODULE};`,
        'daemon off;',
        'master_process off;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'logs', 'error.log')} info;`,
        'events { worker_connections 64; }',
        'rtmp {',
        '  server {',
        `    listen 127.0.0.1:${server.port};`,
        '    application live {',
        '      live on;',
        '      record all;',
        `      record_path ${server.recordDir};`,
        '      record_unique on;',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    await server.startNginx();

    return server;
  }

  /** The RTMP address of the "live" application, such as rtmp://127.0.0.1:PORT/live. */
  get url(): string {
    return `rtmp://127.0.0.1:${this.port}/live`;
  }

  get rtmpsUrl(): string {
    return `rtmps://127.0.0.1:${this.tlsPort}/live`;
  }

  async startNginx(): Promise<void> {
    this.#nginx = spawn(NGINX, ['-p', this.dir, '-c', join(this.dir, 'nginx.conf'), '-e', join(this.dir, 'logs', 'error.log')], {
      stdio: 'ignore',
    });
    await waitFor(`nginx-rtmp on port ${this.port}`, () => acceptsConnections(this.port), { timeoutMs: 10_000 });
  }

  /** Stops nginx and waits until the port is closed. */
  async stopNginx(): Promise<void> {
    const nginx = this.#nginx;

    this.#nginx = undefined;
    if (!nginx || nginx.exitCode !== null) return;

    const exited = new Promise((resolve) => nginx.once('exit', resolve));

    nginx.kill('SIGTERM');
    await exited;
  }

  /** Puts stunnel4 with a self-signed certificate in front of nginx, for rtmps://. */
  async startTls(): Promise<void> {
    const cert = join(this.dir, 'cert.pem');
    const key = join(this.dir, 'key.pem');

    this.tlsPort = await findFreeTcpPort();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], {
      stdio: 'ignore',
    });
    writeFileSync(
      join(this.dir, 'stunnel.conf'),
      ['foreground = yes', 'pid =', '[rtmps]', `accept = 127.0.0.1:${this.tlsPort}`, `connect = 127.0.0.1:${this.port}`, `cert = ${cert}`, `key = ${key}`].join(
        '\n',
      ),
    );
    this.#stunnel = spawn('stunnel4', [join(this.dir, 'stunnel.conf')], { stdio: 'ignore' });
    await waitFor(`stunnel on port ${this.tlsPort}`, () => acceptsConnections(this.tlsPort!), { timeoutMs: 10_000 });
  }

  /** Returns the recorded FLV files of a stream key, oldest first. */
  recordings(streamKey: string): string[] {
    return readdirSync(this.recordDir)
      .filter((name) => name.startsWith(`${streamKey}-`) && name.endsWith('.flv'))
      .sort()
      .map((name) => join(this.recordDir, name));
  }

  async close(): Promise<void> {
    this.#stunnel?.kill('SIGTERM');
    await this.stopNginx();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
