import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:net';

function bindUdp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');

    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

/** Port ranges others bind later (mediasoup's RTC ports), which a free port found now must not fall into. */
const avoided: { min: number; max: number }[] = [];

/**
 * Keeps found ports out of a range that another part binds only later:
 * mediasoup opens its RTC ports on demand, so a port of its range that is
 * free now may be taken by the worker the next moment.
 */
export function avoidPortRange(min: number, max: number): void {
  if (!avoided.some((range) => range.min === min && range.max === max)) avoided.push({ min, max });
}

function isAvoided(port: number): boolean {
  return avoided.some((range) => port >= range.min && port <= range.max);
}

/**
 * Finds a free pair of loopback UDP ports (even RTP port, RTCP port + 1) for
 * a local receiver such as ffmpeg. The ports are released before returning,
 * so another process could take them in between; receivers fail loudly then.
 */
export async function findFreeRtpPortPair(attempts = 50): Promise<{ rtpPort: number; rtcpPort: number }> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const probe = await bindUdp(0);
    const port = probe.address().port;

    probe.close();

    const rtpPort = port % 2 === 0 ? port : port + 1;

    if (isAvoided(rtpPort) || isAvoided(rtpPort + 1)) continue;

    try {
      const rtp = await bindUdp(rtpPort);
      const rtcp = await bindUdp(rtpPort + 1).catch((error: unknown) => {
        rtp.close();
        throw error;
      });

      rtp.close();
      rtcp.close();

      return { rtpPort, rtcpPort: rtpPort + 1 };
    } catch {
      // Taken in the meantime; try another pair.
    }
  }
  throw new Error(`no free UDP port pair on 127.0.0.1 after ${attempts} attempts`);
}

/**
 * Finds a free TCP port on loopback outside the avoided ranges, for a local control socket such as ffmpeg's zmq filter.
 * Linux hands out listening ports in sequence, so a run through an avoided range needs many attempts.
 */
export async function findFreeTcpPort(attempts = 1000): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await anyFreeTcpPort();

    if (!isAvoided(port)) return port;
  }
  throw new Error(`no free TCP port on 127.0.0.1 outside the avoided ranges after ${attempts} attempts`);
}

function anyFreeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();

    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();

      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no TCP port'))));
    });
  });
}
