import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { podiumHealth } from './network-checks.js';

/** Serves one /healthz body on a loopback address, as a running Podium would. */
async function healthServer(host: string, body: object, status = 200): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });

  await new Promise<void>((resolve) => server.listen(0, host, resolve));

  return server;
}

describe('podiumHealth', () => {
  let server: Server | undefined;

  afterEach(() => server?.close());

  it('reaches Podium on an IPv6 host', async () => {
    server = await healthServer('::1', { status: 'ready', failing: [] });

    const config = parseConfig({ http: { host: '::1', port: (server.address() as AddressInfo).port } });

    expect(await podiumHealth(config)).toEqual({ status: 'ready', failing: [] });
  });

  it('reports the failing parts', async () => {
    server = await healthServer('127.0.0.1', { status: 'failing', failing: ['recording', 'disk'] }, 503);

    const config = parseConfig({ http: { host: '0.0.0.0', port: (server.address() as AddressInfo).port } });

    expect(await podiumHealth(config)).toEqual({ status: 'failing', failing: ['recording', 'disk'] });
  });

  it('finds nothing on a closed port', async () => {
    server = await healthServer('127.0.0.1', {});

    const port = (server.address() as AddressInfo).port;

    server.close();
    server = undefined;

    expect(await podiumHealth(parseConfig({ http: { port } }))).toBeUndefined();
  });
});
