import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LobbyGuest } from '../signaling/protocol.js';

/** How long an admission ticket may wait for its exchange into a session cookie. */
const TICKET_LIFETIME_MS = 5 * 60 * 1000;

type Guest = LobbyGuest & { eventId: string; listenerKey: string };

export type LobbyEvents = {
  /** The waiting list of an event changed. */
  change: [eventId: string];
  /** Staff admitted a waiting page; the ticket buys its session cookie. */
  admitted: [peerId: string, ticket: string];
};

/**
 * The lobbies of events that have one: watch pages waiting, by signaling
 * connection, until staff admit them one by one or all at once. An admitted
 * listener key stays admitted for its event while Podium runs, so that a
 * reload does not send the listener back to the lobby.
 */
export class Lobby extends EventEmitter<LobbyEvents> {
  readonly #guests = new Map<string, Guest>();
  /** Admitted listener keys, by event id. */
  readonly #admitted = new Map<string, Set<string>>();
  readonly #tickets = new Map<string, { eventId: string; expiresAt: number }>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    super();
    this.#logger = logger.child({ module: 'lobby' });
  }

  isAdmitted(eventId: string, listenerKey: string): boolean {
    return this.#admitted.get(eventId)?.has(listenerKey) ?? false;
  }

  /** Puts a page in the event's waiting list, or keeps its place there. */
  wait(eventId: string, peerId: string, listenerKey: string, name: string | null): void {
    const current = this.#guests.get(peerId);

    if (current?.eventId === eventId && current.name === name) return;
    this.#guests.set(peerId, {
      eventId,
      peerId,
      listenerKey,
      name,
      since: current?.eventId === eventId ? current.since : new Date().toISOString(),
    });
    if (!current) this.#logger.info({ eventId, peerId }, 'listener waits in the lobby');
    this.emit('change', eventId);
  }

  /** Removes a page that closed or left the event from the waiting list. */
  leave(peerId: string): void {
    const guest = this.#guests.get(peerId);

    if (!guest) return;
    this.#guests.delete(peerId);
    this.emit('change', guest.eventId);
  }

  guests(eventId: string): LobbyGuest[] {
    return [...this.#guests.values()]
      .filter((guest) => guest.eventId === eventId)
      .map(({ peerId, name, since }) => ({ peerId, name, since }));
  }

  admit(eventId: string, peerId: string): void {
    const guest = this.#guests.get(peerId);

    if (!guest || guest.eventId !== eventId) throw podiumError('PODIUM_ERR_LOBBY_GUEST_NOT_FOUND', peerId);
    this.#admit(guest);
    this.emit('change', eventId);
  }

  /** Admits everyone waiting for the event; returns how many. */
  admitAll(eventId: string): number {
    const waiting = [...this.#guests.values()].filter((guest) => guest.eventId === eventId);

    for (const guest of waiting) this.#admit(guest);
    if (waiting.length > 0) this.emit('change', eventId);

    return waiting.length;
  }

  /** Uses up an admission ticket of the event; throws when it is unknown, used or expired. */
  redeem(eventId: string, ticket: string): void {
    const entry = this.#tickets.get(ticket);

    this.#tickets.delete(ticket);
    if (!entry || entry.eventId !== eventId || entry.expiresAt < Date.now()) {
      this.#logger.warn({ eventId }, 'admission ticket rejected');
      throw podiumError('PODIUM_ERR_ADMISSION_INVALID');
    }
  }

  #admit(guest: Guest): void {
    const admitted = this.#admitted.get(guest.eventId) ?? new Set<string>();
    const ticket = randomBytes(24).toString('base64url');

    admitted.add(guest.listenerKey);
    this.#admitted.set(guest.eventId, admitted);
    this.#guests.delete(guest.peerId);
    this.#dropExpiredTickets();
    this.#tickets.set(ticket, { eventId: guest.eventId, expiresAt: Date.now() + TICKET_LIFETIME_MS });
    this.#logger.info({ eventId: guest.eventId, peerId: guest.peerId }, 'listener admitted from the lobby');
    this.emit('admitted', guest.peerId, ticket);
  }

  #dropExpiredTickets(): void {
    const now = Date.now();

    for (const [ticket, entry] of this.#tickets) if (entry.expiresAt < now) this.#tickets.delete(ticket);
  }
}
