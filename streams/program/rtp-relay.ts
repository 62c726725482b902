import { createSocket, type Socket } from 'node:dgram';

const LOOPBACK = '127.0.0.1';
const RTP_HEADER_BYTES = 12;
/** An Opus packet of 20 ms of silence (TOC 0xF8: CELT, fullband, 20 ms, one frame). */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
const SILENCE_INTERVAL_MS = 20;
/** RTP timestamp ticks of 20 ms at Opus's 48 kHz clock. */
const SILENCE_TICKS = 960;

/**
 * One compositor input's RTP relay on loopback: the room sends to the
 * relay, the relay sends to ffmpeg. It gives the packets one continuous
 * sequence number space and one SSRC, whatever producer feeds the input,
 * so that ffmpeg's reorder queue keeps working after a switch. Without it, a
 * new producer whose numbers start below the last ones would have every
 * packet dropped as "received too late". RTCP is not relayed: the
 * compositor timestamps packets on arrival.
 */
export class RtpRelay {
  readonly #rtp: Socket;
  readonly #rtcp: Socket;
  #target = 0;
  readonly #ssrc: number;
  #sourceSsrc = -1;
  /** Added to the source's sequence numbers (mod 2^16). */
  #offset = 0;
  #lastOut = -1;
  #packets = 0;
  /** The header of the last packet relayed, the model of the silence packets. */
  #lastHeader: Buffer | undefined;
  #silenceTimer: NodeJS.Timeout | undefined;

  private constructor(rtp: Socket, rtcp: Socket, ssrc: number) {
    this.#rtp = rtp;
    this.#rtcp = rtcp;
    this.#ssrc = ssrc;
    rtp.on('message', (packet) => this.#forward(packet));
    // Reports from the room are read and dropped, so the socket buffer never fills.
    rtcp.on('message', () => undefined);
  }

  /** Opens the relay's RTP and RTCP ports; it forwards nothing until sendTo(). */
  static async open(ports: { rtpPort: number; rtcpPort: number }, ssrc: number): Promise<RtpRelay> {
    const bind = (port: number) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = createSocket('udp4');

        socket.once('error', reject);
        socket.bind(port, LOOPBACK, () => {
          socket.off('error', reject);
          resolve(socket);
        });
      });
    const rtp = await bind(ports.rtpPort);
    const rtcp = await bind(ports.rtcpPort).catch((error: unknown) => {
      rtp.close();
      throw error;
    });

    return new RtpRelay(rtp, rtcp, ssrc);
  }

  /** Sets ffmpeg's RTP port on loopback, where the relay sends from now on. */
  sendTo(rtpPort: number): void {
    this.#target = rtpPort;
  }

  /** Packets relayed so far. */
  get packets(): number {
    return this.#packets;
  }

  /**
   * Sends Opus silence in place of the source while on (a muted guest,
   * whose paused producer sends nothing), so that the compositor's input
   * never starves and no switch of producers is needed. Packets from the
   * source are dropped meanwhile.
   */
  setSilence(on: boolean): void {
    if (on === (this.#silenceTimer !== undefined)) return;
    if (!on) {
      clearInterval(this.#silenceTimer);
      this.#silenceTimer = undefined;

      return;
    }
    this.#silenceTimer = setInterval(() => this.#sendSilence(), SILENCE_INTERVAL_MS);
  }

  close(): void {
    clearInterval(this.#silenceTimer);
    this.#rtp.close();
    this.#rtcp.close();
  }

  #sendSilence(): void {
    const header = this.#lastHeader;

    if (!header || this.#target === 0) return;

    const packet = Buffer.concat([header, OPUS_SILENCE]);
    const out = (this.#lastOut + 1) & 0xffff;

    packet[1] = packet[1]! & 0x7f;
    packet.writeUInt16BE(out, 2);
    packet.writeUInt32BE((header.readUInt32BE(4) + SILENCE_TICKS) >>> 0, 4);
    header.writeUInt32BE(packet.readUInt32BE(4), 4);
    this.#lastOut = out;
    this.#packets += 1;
    this.#rtp.send(packet, this.#target, LOOPBACK);
  }

  #forward(packet: Buffer): void {
    if (this.#target === 0 || packet.length < RTP_HEADER_BYTES || packet[0]! >> 6 !== 2) return;
    if (this.#silenceTimer !== undefined) return;

    const ssrc = packet.readUInt32BE(8);
    const sequence = packet.readUInt16BE(2);

    if (ssrc !== this.#sourceSsrc) {
      // A new producer (or stand-in): continue right after the last number sent.
      this.#sourceSsrc = ssrc;
      this.#offset = (this.#lastOut + 1 - sequence) & 0xffff;
    }

    const out = (sequence + this.#offset) & 0xffff;

    if (this.#lastOut < 0 || ((out - this.#lastOut) & 0xffff) < 0x8000) this.#lastOut = out;
    packet.writeUInt16BE(out, 2);
    packet.writeUInt32BE(this.#ssrc, 8);
    // The fixed header only: no CSRCs or extensions, which the silence packets do not carry.
    this.#lastHeader = Buffer.from(packet.subarray(0, RTP_HEADER_BYTES));
    this.#lastHeader[0] = 0x80;
    this.#packets += 1;
    this.#rtp.send(packet, this.#target, LOOPBACK);
  }
}
