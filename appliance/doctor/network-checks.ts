import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { createConnection, createServer, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { PodiumConfig } from '../config/schema.js';
import { webRtcPorts } from '../sfu/port-plan.js';
import { fail, ok, warn, type CheckResult } from './check.js';

/** How long the doctor waits for one connection, datagram or name lookup. */
const NETWORK_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, description: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${description} timed out after ${NETWORK_TIMEOUT_MS} ms`)), NETWORK_TIMEOUT_MS);
  });

  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with undefined when the TCP port can be bound, or with the error code (EADDRINUSE, EACCES). */
function tryBindTcp(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();

    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function tryBindUdp(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');

    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      resolve(error.code ?? error.message);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(undefined)));
  });
}

/** The health a running Podium's /healthz reports: ready, or failing with the names of the failing parts. */
export type PodiumHealth = { status: 'ready' | 'failing'; failing: string[] };

/** Returns the loopback address that reaches a server listening on host: the wildcards map to loopback. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';

  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * Returns the health of a running Podium from /healthz on the plain HTTP
 * port, or undefined when none responds. A responding Podium uses its ports.
 */
export async function podiumHealth(config: PodiumConfig): Promise<PodiumHealth | undefined> {
  if (config.http.port === 0) return undefined;
  try {
    const url = `http://${loopbackFor(config.http.host)}:${config.http.port}/healthz`;
    const response = await withTimeout(fetch(url), 'the /healthz request');
    const body = (await response.json()) as { status?: unknown; failing?: unknown };

    if (body.status !== 'ready' && body.status !== 'failing') return undefined;

    return { status: body.status, failing: Array.isArray(body.failing) ? body.failing.map(String) : [] };
  } catch {
    return undefined;
  }
}

/**
 * Checks that the HTTP, HTTPS and WebRTC ports (one per worker, sfu.port plus
 * the worker index) are free, or used by the running Podium.
 */
export async function checkPorts(config: PodiumConfig, podiumRunning: boolean): Promise<CheckResult[]> {
  const ports: { name: string; host: string; port: number; key: string; udp: boolean }[] = [
    { name: 'HTTP port', host: config.http.host, port: config.http.port, key: 'http.port', udp: false },
    ...(config.https.enabled
      ? [{ name: 'HTTPS port', host: config.https.host, port: config.https.port, key: 'https.port', udp: false }]
      : []),
    ...webRtcPorts(config.sfu).flatMap((port, index) => {
      const worker = index === 0 ? '' : ` of worker ${index}`;

      return [
        { name: `WebRTC port${worker} (TCP)`, host: config.sfu.listenIp, port, key: 'sfu.port', udp: false },
        { name: `WebRTC port${worker} (UDP)`, host: config.sfu.listenIp, port, key: 'sfu.port', udp: true },
      ];
    }),
  ];
  const results: CheckResult[] = [];

  for (const { name, host, port, key, udp } of ports) {
    const label = `${name} ${host}:${port}`;

    if (port === 0) {
      results.push(ok(label, 'any free port (0)'));
      continue;
    }

    const error = udp ? await tryBindUdp(host, port) : await tryBindTcp(host, port);

    if (!error) results.push(ok(label, 'free'));
    else if (error === 'EADDRINUSE' && podiumRunning) results.push(ok(label, 'in use by the running Podium'));
    else if (error === 'EADDRINUSE') {
      results.push(
        fail(label, 'in use by another program', `find it with: ss -lntup 'sport = :${port}'; stop it, or set ${key} to a free port`),
      );
    } else {
      results.push(fail(label, `cannot bind: ${error}`, `set ${key} to a port above 1023 and an address of this machine`));
    }
  }

  return results;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((address) => (address ? [address.address] : []));
}

/** Sends one datagram to address:port from a socket bound to that port, and waits for it to arrive. */
function udpLoopback(bindHost: string, address: string, port: number): Promise<void> {
  const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
  const token = Buffer.from(`podium-doctor-${process.pid}-${Date.now()}`);

  return withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.on('message', (message) => {
        if (message.equals(token)) resolve();
      });
      socket.once('error', reject);
      socket.bind({ address: bindHost, port }, () => socket.send(token, port, address));
    }),
    `a UDP datagram to ${address}:${port}`,
  ).finally(() => socket.close());
}

function tcpConnect(address: string, port: number): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const socket = createConnection({ host: address, port }, () => {
        socket.destroy();
        resolve();
      });

      socket.once('error', reject);
    }),
    `a TCP connection to ${address}:${port}`,
  );
}

/**
 * Checks the announced WebRTC address as far as this machine can: that it is
 * set, and that a datagram (or, while Podium uses the port, a TCP
 * connection) sent to it reaches this machine. An address of the NAT router
 * passes only where the router loops traffic back (hairpin NAT); the fix
 * then says to test from outside.
 */
export async function checkPublicAddress(config: PodiumConfig, podiumRunning: boolean): Promise<CheckResult> {
  const { announcedAddress, listenIp, port } = config.sfu;
  const name = 'Public WebRTC address';

  if (!announcedAddress) {
    return warn(
      name,
      'sfu.announcedAddress is empty; browsers get the first non-loopback IPv4 address of this machine',
      'behind the municipal NAT, set sfu.announcedAddress to the public address and forward UDP and TCP sfu.port ' +
        '(plus one port per further worker) to this machine',
    );
  }
  if (port === 0) return warn(name, 'sfu.port is 0 (any free port), which no NAT can forward', 'set sfu.port to a fixed port such as 40000');

  const ports = webRtcPorts(config.sfu);
  // Every worker's WebRtcServer needs the forward, not only worker 0's.
  const forwarded = ports.length > 1 ? `${port}-${ports[ports.length - 1]}` : String(port);
  const local = localAddresses().includes(announcedAddress);
  const where = local ? 'an address of this machine' : 'not an address of this machine (a NAT address)';
  const fix = local
    ? `check the firewall: UDP and TCP ${forwarded} must be open`
    : `forward UDP and TCP ${forwarded} on the router to this machine, then test from a phone outside the library network`;

  try {
    if (podiumRunning) await tcpConnect(announcedAddress, port);
    else await udpLoopback(listenIp, announcedAddress, port);

    return ok(name, `${announcedAddress}:${port} reaches this machine (${podiumRunning ? 'TCP' : 'UDP'}); ${where}`);
  } catch (error) {
    return (local ? fail : warn)(name, `${announcedAddress}:${port} did not reach this machine: ${(error as Error).message}`, fix);
  }
}

/** Returns the host of an RTMP, RTMPS or TURN URL, an IPv6 address without its brackets. */
export function hostOf(url: string): string | undefined {
  let host: string | undefined;

  try {
    host = /^turns?:/.test(url) ? /^turns?:(\[[^\]]+\]|[^:?]+)/.exec(url)?.[1] : new URL(url).hostname;
  } catch {
    return undefined;
  }

  return host?.replace(/^\[(.*)\]$/, '$1') || undefined;
}

/** Checks that each host name resolves; restream targets and TURN servers need it. */
export async function checkResolvable(label: string, urls: string[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];

  for (const url of urls) {
    const host = hostOf(url);
    const name = `${label} ${host ?? url}`;

    if (!host) {
      results.push(fail(name, `${url} has no host name`, 'correct the address'));
      continue;
    }
    try {
      const { address } = await withTimeout(lookup(host), `resolving ${host}`);

      results.push(ok(name, `resolves to ${address}`));
    } catch (error) {
      results.push(
        fail(name, `${host} does not resolve: ${(error as Error).message}`, 'check the spelling, and that the appliance has DNS (cat /etc/resolv.conf)'),
      );
    }
  }

  return results;
}
