import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { checkInteger } from './ptz-values.js';
import { VISCA_ADDRESS, viscaOverIpDatagram, viscaRawDatagram } from './visca.js';
import { ViscaDriver, type ViscaDriverOptions } from './visca-driver.js';
import { hexBytes, parseViscaOverIpMessage, parseViscaReply, ViscaReplyReader } from './visca-replies.js';

/**
 * The framing of VISCA packets in UDP datagrams: "sony-header" puts Sony's
 * 8-byte VISCA-over-IP header with a sequence number before each packet, and
 * "raw" sends the bare packet.
 */
export type ViscaUdpFraming = 'sony-header' | 'raw';

/** The camera's UDP port when the options give none, by framing. */
export const DEFAULT_VISCA_UDP_PORTS: Readonly<Record<ViscaUdpFraming, number>> = {
  'sony-header': 52381,
  raw: 1259,
};

export type ViscaUdpTransportOptions = Omit<ViscaDriverOptions, 'name'> & {
  /** The camera's IP address or host name. */
  host: string;
  /** The camera's UDP port, by default 52381 for "sony-header" and 1259 for "raw". */
  port?: number;
  framing: ViscaUdpFraming;
};

/**
 * A PTZ camera driven by VISCA over UDP (node:dgram). The socket is connected
 * to the camera, so the host name is resolved once at open, datagrams leave in
 * the order they are sent, and the socket receives only the camera's
 * datagrams. With the "sony-header" framing, the sequence number starts at 1
 * and grows by 1 with every datagram.
 *
 * NOTE: Sony cameras expect the sequence number to be reset with a control
 * command (02 00 00 01 00 00 00 00 01) after they restart. The transport sends
 * no reset, and nothing has been tested against a real camera.
 */
export class ViscaUdpTransport extends ViscaDriver {
  readonly host: string;
  readonly port: number;
  readonly framing: ViscaUdpFraming;
  readonly #socket: dgram.Socket;
  #sequenceNumber = 0;
  /** Sends handed to the socket and not yet reported sent, so close() can wait for them. */
  readonly #inFlight = new Set<Promise<void>>();

  private constructor(options: ViscaUdpTransportOptions, port: number, socket: dgram.Socket) {
    super({ ...options, name: `VISCA over UDP ${options.host}:${port} (${options.framing})` });
    this.host = options.host;
    this.port = port;
    this.framing = options.framing;
    this.#socket = socket;
    this.#socket.on('message', (datagram) => this.#receive(datagram));
    this.#socket.on('error', (error) => this.fail(error));
    this.logger.info({ address: options.address }, 'PTZ camera opened');
  }

  /** Creates the UDP socket and connects it to the camera. Rejects when the host cannot be resolved. */
  static async open(options: ViscaUdpTransportOptions): Promise<ViscaUdpTransport> {
    const port = options.port ?? DEFAULT_VISCA_UDP_PORTS[options.framing];

    checkInteger('VISCA camera address', options.address, VISCA_ADDRESS);
    checkInteger('VISCA UDP port', port, { min: 1, max: 65535 });
    if (!(options.framing in DEFAULT_VISCA_UDP_PORTS)) {
      throw new RangeError(`VISCA UDP framing must be "sony-header" or "raw", got ${String(options.framing)}`);
    }

    const socket = dgram.createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');

    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(port, options.host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      throw new Error(
        `cannot open VISCA over UDP to ${options.host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }

    return new ViscaUdpTransport(options, port, socket);
  }

  protected sendPacket(packet: Buffer): Promise<void> {
    const datagram = this.framing === 'raw' ? viscaRawDatagram(packet) : viscaOverIpDatagram(packet, this.#nextSequenceNumber());
    const sent = new Promise<void>((resolve, reject) => {
      this.#socket.send(datagram, (error) => (error ? reject(error) : resolve()));
    });

    this.#inFlight.add(sent);
    void sent.then(
      () => this.#inFlight.delete(sent),
      () => this.#inFlight.delete(sent),
    );

    return sent;
  }

  protected releaseLink(): void {
    void Promise.allSettled([...this.#inFlight]).then(() => this.#socket.close());
  }

  #nextSequenceNumber(): number {
    this.#sequenceNumber = this.#sequenceNumber >= 0xffffffff ? 1 : this.#sequenceNumber + 1;

    return this.#sequenceNumber;
  }

  #receive(datagram: Buffer): void {
    if (this.framing === 'raw') {
      // A camera may put more than one reply into a datagram, such as ACK and completion.
      for (const packet of new ViscaReplyReader().push(datagram)) this.handleReply(parseViscaReply(packet));

      return;
    }

    const message = parseViscaOverIpMessage(datagram);

    if (message.kind === 'reply') {
      this.handleReply(message.reply);
    } else if (message.kind === 'control-reply') {
      this.logger.info(
        { reply: hexBytes(message.bytes), sequenceNumber: message.sequenceNumber },
        'PTZ camera sent a VISCA-over-IP control reply',
      );
    } else {
      this.logger.warn({ datagram: hexBytes(message.bytes) }, 'PTZ camera sent a datagram that is not a VISCA-over-IP reply');
    }
  }
}
