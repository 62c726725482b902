import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../appliance/log.js';
import type { Room, RtpEgress } from '../../appliance/sfu/room.js';
import type { SourceLabel } from '../../appliance/sfu/source-labels.js';
import { findFreeRtpPortPair } from '../local-ports.js';
import { buildReceiveSdp, type SdpMedia } from '../rtp-sdp.js';
import { AUDIO_INPUTS, VIDEO_INPUTS, type ProgramInput } from './program-layout.js';
import { RtpRelay } from './rtp-relay.js';

/**
 * The codec of the compositor's video inputs. Each input's SDP declares
 * one codec, the one the stand-in sends when the SDP is written. So every
 * source of a program's video inputs, stand-ins included, sends the same
 * codec. An event's program takes H.264, which its cameras and screens
 * publish. A meeting's broadcast takes VP8, which meeting pages publish.
 */
export type ProgramVideoCodec = 'h264' | 'vp8';

/** How often the inputs check which sources deliver. */
const CHECK_MS = 500;
/** A source that sent no packet for this long counts as missing; its stand-in takes over. */
const SILENT_AFTER_MS = 2000;
/** A source the program could not take (such as VP8 video) is tried again after this long. */
const RETRY_MS = 10_000;

type Slot = {
  input: ProgramInput;
  kind: 'video' | 'audio';
  /** The relay's ports, which the room sends to; the relay renumbers the packets for ffmpeg. */
  ports: { rtpPort: number; rtcpPort: number };
  relay: RtpRelay;
  /** The sources that may feed the slot, first choice first; the stand-in fills in when none delivers. */
  candidates: readonly SourceLabel[];
  /** The source the compositor receives on this slot now: a candidate or the stand-in. */
  feeding: SourceLabel | undefined;
  egress: RtpEgress | undefined;
  /** Serialises the slot's switches. */
  queue: Promise<void>;
  /** Each candidate's packet count at the last check, and when it last changed. */
  seen: Map<SourceLabel, { packets: number; changedAt: number }>;
  /** After a failed switch to a candidate, the next attempt waits until then. */
  retryAt: number;
};

/**
 * Sources that stand in for an input before the stand-in does: a listener
 * whom staff brought on stage with a camera appears where the remote
 * speaker would, while no remote speaker publishes.
 */
const FALLBACKS: Partial<Record<ProgramInput, readonly SourceLabel[]>> = {
  'remote-speaker': ['listener-camera'],
};

export type ProgramInputsEvents = {
  /** The set of inputs that deliver changed. */
  present: [ReadonlySet<ProgramInput>];
};

/**
 * The compositor's inputs: one loopback port pair per input source. The
 * room feeds each over plain RTP from the source's producer while it
 * delivers, and from the stand-in ("stand-in-video", "stand-in-audio") while
 * it is missing or silent for 2 s. So the compositor always has every input,
 * and a source that stops sending holds the program up for 2 s at most. A
 * video source must send the inputs' one codec (ProgramVideoCodec), the only
 * codec the compositor's SDP declares, so another codec counts as missing.
 */
export class ProgramInputs extends EventEmitter<ProgramInputsEvents> {
  #room: Room;
  readonly #logger: Logger;
  readonly #slots: Slot[];
  readonly #videoMimeType: string;
  readonly #present = new Set<ProgramInput>();
  #sdps: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(room: Room, slots: Slot[], videoCodec: ProgramVideoCodec, logger: Logger) {
    super();
    this.#room = room;
    this.#slots = slots;
    this.#videoMimeType = `video/${videoCodec}`;
    this.#logger = logger.child({ part: 'program-inputs' });
  }

  /** Opens the slots, each fed by its stand-in for now (the room must have the stand-ins). */
  static async open(room: Room, logger: Logger, videoCodec: ProgramVideoCodec = 'h264'): Promise<ProgramInputs> {
    const slots: Slot[] = [];

    const receivers: { rtpPort: number; rtcpPort: number }[] = [];

    try {
      // The relays bind their ports first, so that no receiver port found
      // afterwards (free, but bound by ffmpeg only later) can be one of them.
      for (const [kind, inputs] of [['video', VIDEO_INPUTS], ['audio', AUDIO_INPUTS]] as const) {
        for (const input of inputs) {
          const ports = await findFreeRtpPortPair();
          const relay = await RtpRelay.open(ports, randomInt(1, 2 ** 31));

          const candidates = [input, ...(FALLBACKS[input] ?? [])];

          slots.push({ input, kind, ports, relay, candidates, feeding: undefined, egress: undefined, queue: Promise.resolve(), seen: new Map(), retryAt: 0 });
        }
      }
      while (receivers.length < slots.length) {
        const receiver = await findFreeRtpPortPair();

        if (!receivers.some((taken) => taken.rtpPort === receiver.rtpPort)) receivers.push(receiver);
      }
      slots.forEach((slot, index) => slot.relay.sendTo(receivers[index]!.rtpPort));
    } catch (error) {
      for (const slot of slots) slot.relay.close();
      throw error;
    }

    const inputs = new ProgramInputs(room, slots, videoCodec, logger);

    room.on('producer', inputs.#onProducer);
    for (const [index, slot] of slots.entries()) {
      await inputs.#feed(slot, standInOf(slot));

      const codec = slot.egress?.rtpParameters.codecs[0];

      if (!codec) throw new Error(`the stand-in of the program input "${slot.input}" has no codec`);

      const media: SdpMedia = { kind: slot.kind, ...receivers[index]!, codec };

      inputs.#sdps.push(buildReceiveSdp([media]));
    }

    return inputs;
  }

  /**
   * One SDP per input with the port and codec of its stream, in the
   * order of VIDEO_INPUTS, then AUDIO_INPUTS. One SDP each makes ffmpeg read
   * every input in its own thread, so that a packet is timestamped when it
   * arrives, not when the encoder lets the main loop read it.
   */
  get sdps(): string[] {
    return this.#sdps;
  }

  get present(): ReadonlySet<ProgramInput> {
    return this.#present;
  }

  /** Starts the flow to a compositor that listens now, with a keyframe on every video input. */
  async resume(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.egress?.resume()));
    if (this.#timer === undefined && !this.#closed) {
      this.#timer = setInterval(() => void this.#check(), CHECK_MS);
      await this.#check();
    }
  }

  /**
   * Feeds the slots from a rebuilt room, after the old one closed with its
   * media worker: each from its stand-in first, on the same ports, so the
   * compositor's SDPs stay valid. The next checks take the sources back as
   * they deliver in the new room.
   */
  async moveTo(room: Room): Promise<void> {
    this.#room.off('producer', this.#onProducer);
    this.#room = room;
    room.on('producer', this.#onProducer);
    await Promise.all(
      this.#slots.map((slot) => {
        slot.queue = slot.queue.then(async () => {
          forgetFeed(slot);
          if (this.#closed) return;
          await this.#feed(slot, standInOf(slot));
          await slot.egress?.resume();
        });

        return slot.queue;
      }),
    );
  }

  close(): void {
    this.#closed = true;
    this.#room.off('producer', this.#onProducer);
    clearInterval(this.#timer);
    for (const slot of this.#slots) {
      slot.egress?.close();
      slot.relay.close();
    }
  }

  async #check(): Promise<void> {
    // While the room is being rebuilt there is nothing to switch to; moveTo() resumes the feeds.
    if (this.#room.closed) return;

    const now = Date.now();
    let changed = false;

    for (const slot of this.#slots) {
      const delivering = await this.#deliveringCandidate(slot, now);
      const wanted = delivering !== undefined && now >= slot.retryAt ? delivering : standInOf(slot);
      const present = delivering !== undefined;

      if (wanted !== slot.feeding) this.#switch(slot, wanted);
      if (slot.kind === 'audio') slot.relay.setSilence(delivering !== undefined && this.#room.isPaused(delivering) === true);
      if (present !== this.#present.has(slot.input) && (!present || slot.feeding === delivering)) {
        changed = true;
        if (present) this.#present.add(slot.input);
        else this.#present.delete(slot.input);
      }
    }
    if (changed && !this.#closed) this.emit('present', this.#present);
  }

  /** Returns the first of the slot's candidates that sent packets in the last SILENT_AFTER_MS. */
  async #deliveringCandidate(slot: Slot, now: number): Promise<SourceLabel | undefined> {
    let found: SourceLabel | undefined;

    for (const candidate of slot.candidates) {
      const stats = await this.#room.producerStats(candidate).catch(() => undefined);
      const packets = stats?.packetCount ?? -1;
      const seen = slot.seen.get(candidate);

      if (seen?.packets !== packets) slot.seen.set(candidate, { packets, changedAt: now });

      const changedAt = slot.seen.get(candidate)!.changedAt;
      // A paused producer (a muted guest) sends nothing but stays the input: its relay sends silence (see #check).
      const paused = this.#room.isPaused(candidate) === true;

      found ??= stats !== undefined && (paused || now - changedAt < SILENT_AFTER_MS) ? candidate : undefined;
    }

    return found;
  }

  /**
   * Follows a source that got a new producer (a restarted capture or
   * stand-in): the slots it feeds get an egress from the new producer, since
   * the old one closed with its consumers.
   */
  readonly #onProducer = (source: SourceLabel): void => {
    for (const slot of this.#slots) {
      if (slot.feeding === source) this.#switch(slot, source, true);
    }
  };

  #switch(slot: Slot, source: SourceLabel, renew = false): void {
    slot.queue = slot.queue.then(async () => {
      if (this.#closed || (slot.feeding === source && !renew)) return;
      try {
        await this.#feed(slot, source);
        await slot.egress?.resume();
        this.#logger.info({ input: slot.input, source }, 'program input switched');
      } catch (error) {
        this.#logger.error({ err: error, input: slot.input, source }, 'program input cannot switch');
        slot.retryAt = Date.now() + RETRY_MS;
        if (source !== standInOf(slot)) await this.#feed(slot, standInOf(slot)).catch(() => undefined);
      }
    });
  }

  /** Points the slot at a source: a new egress to the same ports, then the old one closes. */
  async #feed(slot: Slot, source: SourceLabel): Promise<void> {
    const egress = await this.#room.createRtpEgress(source, slot.ports);
    const mimeType = egress.rtpParameters.codecs[0]?.mimeType.toLowerCase();
    const expected = slot.kind === 'video' ? this.#videoMimeType : 'audio/opus';

    if (mimeType !== expected) {
      egress.close();
      throw new Error(`the source "${source}" sends ${mimeType ?? 'no codec'}; the program takes ${expected} on this input`);
    }
    slot.egress?.close();
    slot.egress = egress;
    slot.feeding = source;
  }
}

/** Forgets what fed a slot from a room that closed: its egress closed with the room, and #feed() would close it again. */
function forgetFeed(slot: Slot): void {
  slot.egress = undefined;
  slot.feeding = undefined;
  slot.retryAt = 0;
  slot.seen.clear();
}

function standInOf(slot: Slot): SourceLabel {
  return slot.kind === 'video' ? 'stand-in-video' : 'stand-in-audio';
}
