import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreeRtpPortPair } from '../local-ports.js';
import { waitFor } from '../../test/helpers/wait-for.js';
import { RtpRelay } from './rtp-relay.js';

function rtpPacket(sequence: number, ssrc: number): Buffer {
  const packet = Buffer.alloc(20);

  packet[0] = 0x80;
  packet[1] = 96;
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(ssrc, 8);

  return packet;
}

describe('RTP relay', () => {
  let relay: RtpRelay | undefined;
  let receiver: Socket | undefined;

  afterEach(() => {
    relay?.close();
    receiver?.close();
  });

  async function setUp(): Promise<{ send: (packet: Buffer) => void; received: () => Promise<Buffer[]> }> {
    const relayPorts = await findFreeRtpPortPair();
    const target = await findFreeRtpPortPair();
    const packets: Buffer[] = [];
    const socket = createSocket('udp4');

    receiver = socket;
    await new Promise<void>((resolve) => socket.bind(target.rtpPort, '127.0.0.1', resolve));
    socket.on('message', (packet) => packets.push(packet));
    relay = await RtpRelay.open(relayPorts, 4242);
    relay.sendTo(target.rtpPort);

    const sender = createSocket('udp4');

    return {
      send: (packet) => sender.send(packet, relayPorts.rtpPort, '127.0.0.1'),
      received: async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        sender.close();

        return packets;
      },
    };
  }

  it('numbers from 0 and continues when the producer changes', async () => {
    const { send, received } = await setUp();

    for (const sequence of [60000, 60001, 60002]) send(rtpPacket(sequence, 1));
    for (const sequence of [17, 18]) send(rtpPacket(sequence, 2));

    const packets = await received();

    expect(packets.map((packet) => packet.readUInt16BE(2))).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(packets.map((packet) => packet.readUInt32BE(8)))).toEqual(new Set([4242]));
  });

  it('keeps a late packet late, for the reorder queue', async () => {
    const { send, received } = await setUp();

    for (const sequence of [100, 102, 101, 103]) send(rtpPacket(sequence, 7));

    expect((await received()).map((packet) => packet.readUInt16BE(2))).toEqual([0, 2, 1, 3]);
  });

  it('sends Opus silence in place of a muted source', async () => {
    const { send } = await setUp();
    const packets: Buffer[] = [];

    receiver!.on('message', (packet) => packets.push(packet));
    send(rtpPacket(500, 9));
    await waitFor('the first packet', () => (packets.length === 1 ? true : undefined));
    relay!.setSilence(true);
    send(rtpPacket(501, 9));
    await waitFor('three silence packets', () => (packets.length >= 4 ? true : undefined));
    relay!.setSilence(false);

    const silence = packets.slice(1, 4);

    expect(silence.map((packet) => packet.readUInt16BE(2))).toEqual([1, 2, 3]);
    expect(silence.every((packet) => packet.subarray(12).equals(Buffer.from([0xf8, 0xff, 0xfe])))).toBe(true);
    expect(silence.map((packet) => packet.readUInt32BE(4))).toEqual([960, 1920, 2880]);
    expect(packets.some((packet) => packet.length === 20 && packet.readUInt16BE(2) !== 0)).toBe(false);
  });

  it('drops what is not RTP', async () => {
    const { send, received } = await setUp();

    send(Buffer.from('hello'));
    send(rtpPacket(5, 7));

    expect(await received()).toHaveLength(1);
  });
});
