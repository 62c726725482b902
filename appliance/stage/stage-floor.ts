import { EventEmitter } from 'node:events';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { FloorGuest, StageInvitation } from '../signaling/protocol.js';

export type StageFloorEvents = {
  /** The guest changed: invited, on stage, muted, gone. */
  change: [guest: FloorGuest | null];
  /** A listener's own place changed, which their page shows. */
  guest: [peerId: string, invitation: StageInvitation];
};

/**
 * The one listener whom staff bring on stage ("auf die Bühne holen"): staff
 * invite a raised hand, the listener consents, and only then may their page
 * publish a microphone (and a camera) into the room. Staff mute or remove
 * the guest at any time. The floor lives in memory and is keyed by
 * signaling connection, like the hands it is chosen from.
 */
export class StageFloor extends EventEmitter<StageFloorEvents> {
  readonly #logger: Logger;
  #guest: FloorGuest | null = null;

  constructor(logger: Logger) {
    super();
    this.#logger = logger.child({ module: 'stage-floor' });
  }

  get guest(): FloorGuest | null {
    return this.#guest;
  }

  /** True when the connection's listener consented and is on stage now. */
  isOnStage(peerId: string): boolean {
    return this.#guest?.peerId === peerId && this.#guest.state === 'on-stage';
  }

  /**
   * Asks a listener to come on stage. One guest at a time: another
   * listener's invitation or place must end first.
   */
  invite(peerId: string, name: string | null): FloorGuest {
    const current = this.#guest;

    if (current && current.peerId !== peerId) {
      throw podiumError('PODIUM_ERR_STAGE_OCCUPIED', current.name ?? current.peerId);
    }
    if (current) return current;

    const guest: FloorGuest = { peerId, name, state: 'invited', muted: false, since: new Date().toISOString() };

    this.#set(guest);
    this.#logger.info({ peerId }, 'listener invited on stage');

    return guest;
  }

  /** Records the listener's consent or refusal; returns false when they have no invitation. */
  answer(peerId: string, accept: boolean): boolean {
    if (this.#guest?.peerId !== peerId || this.#guest.state !== 'invited') return false;
    if (accept) {
      this.#set({ ...this.#guest, state: 'on-stage', since: new Date().toISOString() });
      this.#logger.info({ peerId }, 'listener came on stage');
    } else {
      this.#logger.info({ peerId }, 'listener declined the stage');
      this.#end();
    }

    return true;
  }

  /** Mutes or unmutes the guest on stage (a staff action). */
  setMuted(muted: boolean): FloorGuest {
    const guest = this.#guest;

    if (!guest || guest.state !== 'on-stage') throw podiumError('PODIUM_ERR_STAGE_EMPTY');
    if (guest.muted === muted) return guest;

    const changed = { ...guest, muted };

    this.#set(changed);
    this.#logger.info({ peerId: guest.peerId, muted }, muted ? 'stage guest muted by staff' : 'stage guest unmuted by staff');

    return changed;
  }

  /** Ends the invitation or the place on stage of this connection; false when it had none. */
  leave(peerId: string): boolean {
    if (this.#guest?.peerId !== peerId) return false;
    this.#logger.info({ peerId, state: this.#guest.state }, 'stage guest left');
    this.#end();

    return true;
  }

  /** Ends the guest's invitation or place on stage (a staff action); returns their connection id, or null for an empty floor. */
  remove(): string | null {
    const guest = this.#guest;

    if (!guest) return null;
    this.#logger.info({ peerId: guest.peerId }, 'stage guest removed by staff');
    this.#end();

    return guest.peerId;
  }

  #end(): void {
    const guest = this.#guest;

    if (!guest) return;
    this.#guest = null;
    this.emit('guest', guest.peerId, { state: null, muted: false });
    this.emit('change', null);
  }

  #set(guest: FloorGuest): void {
    this.#guest = guest;
    this.emit('guest', guest.peerId, { state: guest.state, muted: guest.muted });
    this.emit('change', guest);
  }
}
