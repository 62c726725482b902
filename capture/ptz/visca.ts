/**
 * VISCA command packets for pan/tilt drive, zoom, home and memory presets,
 * and the two framings that carry them over UDP.
 *
 * Byte values as Bitfocus' Sony VISCA Companion module sends them
 * (bitfocus/companion-module-sony-visca, src/actions.js for the commands,
 * src/visca.js for the VISCA-over-IP header).
 *
 * NOTE: Podium has not sent these packets to a camera yet.
 */

import { checkDirection, checkInteger, clampSpeed, middleOf, type Direction, type IntegerRange } from './ptz-values.js';

/** Pan speed VV of the pan/tilt drive command. */
export const VISCA_PAN_SPEED: IntegerRange = { min: 0x01, max: 0x18 };

/** Tilt speed WW of the pan/tilt drive command. */
export const VISCA_TILT_SPEED: IntegerRange = { min: 0x01, max: 0x14 };

/** Speed p of the variable-speed zoom commands (2p tele, 3p wide). */
export const VISCA_ZOOM_SPEED: IntegerRange = { min: 0, max: 7 };

/** Memory (preset) numbers of the memory set and recall commands. */
export const VISCA_MEMORY: IntegerRange = { min: 0, max: 127 };

/** Camera addresses on a VISCA bus. The header byte is 0x80 + address. */
export const VISCA_ADDRESS: IntegerRange = { min: 1, max: 7 };

/** Speeds the pan/tilt drive uses when a move gives none: 0x0d and 0x0b. */
export const VISCA_DEFAULT_PAN_SPEED = middleOf(VISCA_PAN_SPEED);
export const VISCA_DEFAULT_TILT_SPEED = middleOf(VISCA_TILT_SPEED);

/** Length of the longest command built here (pan/tilt drive). */
export const VISCA_MAX_COMMAND_LENGTH = 9;

/** Longest VISCA packet, terminator included. */
const VISCA_MAX_PACKET_LENGTH = 16;

const TERMINATOR = 0xff;
const COMMAND = 0x01;
const CATEGORY_PAN_TILTER = 0x06;
const CATEGORY_CAMERA = 0x04;
const PAN_TILT_DRIVE = 0x01;
const PAN_TILT_HOME = 0x04;
const ZOOM = 0x07;
const MEMORY = 0x3f;
const MEMORY_SET = 0x01;
const MEMORY_RECALL = 0x02;

/** PP of the pan/tilt drive: 01 left, 02 right, 03 no pan. */
const PAN_DIRECTION_BYTES: Record<Direction, number> = { [-1]: 0x01, 0: 0x03, 1: 0x02 };

/** TT of the pan/tilt drive: 01 up, 02 down, 03 no tilt. */
const TILT_DIRECTION_BYTES: Record<Direction, number> = { [-1]: 0x02, 0: 0x03, 1: 0x01 };

/** Payload type of a VISCA command in the VISCA-over-IP header. */
export const VISCA_OVER_IP_COMMAND = 0x0100;

export type PanTiltDrive = {
  pan: Direction;
  tilt: Direction;
  /** Clamped to VISCA_PAN_SPEED, and VISCA_DEFAULT_PAN_SPEED when absent. */
  panSpeed?: number;
  /** Clamped to VISCA_TILT_SPEED, and VISCA_DEFAULT_TILT_SPEED when absent. */
  tiltSpeed?: number;
};

function packet(address: number, body: number[]): Buffer {
  checkInteger('VISCA camera address', address, VISCA_ADDRESS);

  return Buffer.from([0x80 + address, ...body, TERMINATOR]);
}

/**
 * Builds the pan/tilt drive command 8x 01 06 01 VV WW PP TT FF. PP is 01 for
 * left, 02 for right and 03 for no pan. TT is 01 for up, 02 for down and 03
 * for no tilt, so pan and tilt 0 give the stop command.
 */
export function viscaPanTiltDrive(address: number, drive: PanTiltDrive): Buffer {
  checkDirection('pan', drive.pan);
  checkDirection('tilt', drive.tilt);

  const panSpeed = clampSpeed('panSpeed', drive.panSpeed ?? VISCA_DEFAULT_PAN_SPEED, VISCA_PAN_SPEED);
  const tiltSpeed = clampSpeed('tiltSpeed', drive.tiltSpeed ?? VISCA_DEFAULT_TILT_SPEED, VISCA_TILT_SPEED);
  const panByte = PAN_DIRECTION_BYTES[drive.pan];
  const tiltByte = TILT_DIRECTION_BYTES[drive.tilt];

  return packet(address, [COMMAND, CATEGORY_PAN_TILTER, PAN_TILT_DRIVE, panSpeed, tiltSpeed, panByte, tiltByte]);
}

/** Builds the pan/tilt stop command 8x 01 06 01 VV WW 03 03 FF at the default speeds. */
export function viscaPanTiltStop(address: number): Buffer {
  return viscaPanTiltDrive(address, { pan: 0, tilt: 0 });
}

/**
 * Builds a zoom command 8x 01 04 07 ZZ FF. ZZ is 00 to stop. Without a speed,
 * 02 zooms in (tele) and 03 out (wide) at the camera's standard speed. With a
 * speed p, clamped to 0–7, 2p zooms in and 3p out.
 */
export function viscaZoom(address: number, direction: Direction, speed?: number): Buffer {
  checkDirection('zoom', direction);

  if (direction === 0) return packet(address, [COMMAND, CATEGORY_CAMERA, ZOOM, 0x00]);

  if (speed === undefined) {
    return packet(address, [COMMAND, CATEGORY_CAMERA, ZOOM, direction === 1 ? 0x02 : 0x03]);
  }

  const base = direction === 1 ? 0x20 : 0x30;

  return packet(address, [COMMAND, CATEGORY_CAMERA, ZOOM, base + clampSpeed('zoomSpeed', speed, VISCA_ZOOM_SPEED)]);
}

/** Builds the pan/tilt home command 8x 01 06 04 FF. */
export function viscaHome(address: number): Buffer {
  return packet(address, [COMMAND, CATEGORY_PAN_TILTER, PAN_TILT_HOME]);
}

/** Builds the memory recall command 8x 01 04 3F 02 pp FF, with pp from 0 to 127. */
export function viscaMemoryRecall(address: number, memory: number): Buffer {
  checkInteger('VISCA memory number', memory, VISCA_MEMORY);

  return packet(address, [COMMAND, CATEGORY_CAMERA, MEMORY, MEMORY_RECALL, memory]);
}

/** Builds the memory set command 8x 01 04 3F 01 pp FF, with pp from 0 to 127. */
export function viscaMemorySet(address: number, memory: number): Buffer {
  checkInteger('VISCA memory number', memory, VISCA_MEMORY);

  return packet(address, [COMMAND, CATEGORY_CAMERA, MEMORY, MEMORY_SET, memory]);
}

function checkPacket(viscaPacket: Uint8Array): void {
  const first = viscaPacket[0] ?? 0;
  const length = viscaPacket.length;

  if (length < 3 || length > VISCA_MAX_PACKET_LENGTH) {
    throw new RangeError(`VISCA packet must be 3 to ${VISCA_MAX_PACKET_LENGTH} bytes long, got ${length}`);
  }
  if (first < 0x81 || first > 0x87) {
    throw new RangeError(`VISCA command must start with 0x81 to 0x87, got 0x${first.toString(16)}`);
  }
  if (viscaPacket[length - 1] !== TERMINATOR) {
    throw new RangeError('VISCA packet must end with the terminator 0xff');
  }
}

/**
 * Returns the UDP payload for cameras that take bare VISCA packets over IP,
 * which is the packet itself.
 */
export function viscaRawDatagram(viscaPacket: Uint8Array): Buffer {
  checkPacket(viscaPacket);

  return Buffer.from(viscaPacket);
}

/**
 * Returns the UDP payload for Sony's VISCA-over-IP framing: an 8-byte header
 * (payload type 0x0100 for a command, payload length as 16-bit big-endian,
 * sequence number as 32-bit big-endian) followed by the packet.
 */
export function viscaOverIpDatagram(viscaPacket: Uint8Array, sequenceNumber: number): Buffer {
  checkPacket(viscaPacket);
  checkInteger('VISCA-over-IP sequence number', sequenceNumber, { min: 0, max: 0xffffffff });

  const datagram = Buffer.alloc(8 + viscaPacket.length);

  datagram.writeUInt16BE(VISCA_OVER_IP_COMMAND, 0);
  datagram.writeUInt16BE(viscaPacket.length, 2);
  datagram.writeUInt32BE(sequenceNumber, 4);
  datagram.set(viscaPacket, 8);

  return datagram;
}
