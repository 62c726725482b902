/**
 * Parsing of the replies a VISCA camera sends: ACK (z0 4y FF), completion
 * (z0 5y FF, with data for an inquiry) and error (z0 6y EE FF), where z is the
 * camera address + 8 and y the command socket. Error codes as Bitfocus' Sony
 * VISCA Companion module names them (bitfocus/companion-module-sony-visca,
 * src/visca.js).
 */

/** Error codes EE of an error reply. */
export const VISCA_ERROR_CODES: Readonly<Record<number, string>> = {
  0x01: 'message length error',
  0x02: 'syntax error',
  0x03: 'command buffer full',
  0x04: 'command canceled',
  0x05: 'no socket',
  0x41: 'command not executable',
};

/** Payload type of a VISCA reply in the VISCA-over-IP header. */
export const VISCA_OVER_IP_REPLY = 0x0111;

/** Payload type of a control reply (for example to a sequence number reset) in the VISCA-over-IP header. */
export const VISCA_OVER_IP_CONTROL_REPLY = 0x0201;

/** Longest reply kept by ViscaReplyReader before it discards bytes without a terminator. */
const MAX_REPLY_LENGTH = 16;

export type ViscaReply =
  | { kind: 'ack' | 'completion'; address: number; socket: number; bytes: number[] }
  | { kind: 'error'; address: number; socket: number; code: number; description: string; bytes: number[] }
  /** Bytes that are not an ACK, completion or error reply. */
  | { kind: 'unknown'; bytes: number[] };

/** Parses one reply packet, terminator included. Returns kind "unknown" for anything else. */
export function parseViscaReply(packet: Uint8Array): ViscaReply {
  const bytes = [...packet];
  const header = bytes[0] ?? 0;
  const type = bytes[1] ?? 0;
  const address = (header >> 4) - 8;

  if (bytes.length < 3 || bytes.at(-1) !== 0xff || (header & 0x0f) !== 0 || address < 1 || address > 7) {
    return { kind: 'unknown', bytes };
  }

  const socket = type & 0x0f;

  switch (type & 0xf0) {
    case 0x40:
      return { kind: 'ack', address, socket, bytes };
    case 0x50:
      return { kind: 'completion', address, socket, bytes };
    case 0x60: {
      const code = bytes.length === 4 ? (bytes[2] ?? 0) : -1;
      const description = VISCA_ERROR_CODES[code] ?? 'unknown error';

      return { kind: 'error', address, socket, code, description, bytes };
    }
    default:
      return { kind: 'unknown', bytes };
  }
}

/** Formats bytes as lowercase hexadecimal pairs separated by spaces, as logs show packets. */
export function hexBytes(bytes: Iterable<number>): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Splits a byte stream (a serial line) into reply packets at each 0xFF
 * terminator. A chunk may end inside a packet, so the reader keeps the tail
 * for the next chunk. Bytes that reach MAX_REPLY_LENGTH without a terminator
 * are returned as one "unknown" packet, so line noise cannot grow the buffer.
 */
export class ViscaReplyReader {
  #partial: number[] = [];

  /** Adds received bytes and returns the packets they complete, in order. */
  push(chunk: Uint8Array): Buffer[] {
    const packets: Buffer[] = [];

    for (const byte of chunk) {
      this.#partial.push(byte);
      if (byte === 0xff || this.#partial.length >= MAX_REPLY_LENGTH) {
        packets.push(Buffer.from(this.#partial));
        this.#partial = [];
      }
    }

    return packets;
  }
}

/** A datagram that a VISCA-over-IP camera sent, after the 8-byte header is taken apart. */
export type ViscaOverIpMessage =
  | { kind: 'reply'; sequenceNumber: number; reply: ViscaReply }
  | { kind: 'control-reply'; sequenceNumber: number; bytes: number[] }
  | { kind: 'malformed'; bytes: number[] };

/**
 * Parses a datagram of Sony's VISCA-over-IP framing: payload type (16 bits),
 * payload length (16 bits) and sequence number (32 bits), all big-endian, then
 * the payload.
 */
export function parseViscaOverIpMessage(datagram: Uint8Array): ViscaOverIpMessage {
  const buffer = Buffer.from(datagram);

  if (buffer.length < 8) return { kind: 'malformed', bytes: [...buffer] };

  const payloadType = buffer.readUInt16BE(0);
  const payloadLength = buffer.readUInt16BE(2);
  const sequenceNumber = buffer.readUInt32BE(4);
  const payload = buffer.subarray(8);

  if (payload.length !== payloadLength) return { kind: 'malformed', bytes: [...buffer] };
  if (payloadType === VISCA_OVER_IP_REPLY) {
    return { kind: 'reply', sequenceNumber, reply: parseViscaReply(payload) };
  }
  if (payloadType === VISCA_OVER_IP_CONTROL_REPLY) {
    return { kind: 'control-reply', sequenceNumber, bytes: [...payload] };
  }

  return { kind: 'malformed', bytes: [...buffer] };
}
