import { EventEmitter } from 'node:events';
import { podiumError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PublicQuestion, QuestionInfo, QuestionState, StageQuestion, StaffEventInfo } from '../signaling/protocol.js';
import type { QuestionRecord, QuestionStore } from '../store/question-store.js';

export type QuestionBoardEvents = {
  /** A question was asked ("added") or changed ("updated": state, votes, venue screen). */
  question: [QuestionInfo, 'added' | 'updated'];
  /** The question on an event's venue screen changed. */
  stage: [eventId: string];
};

/** Reads events; the EventController is one. */
export type EventLookup = { find(id: string): StaffEventInfo | undefined };

function toInfo(record: QuestionRecord): QuestionInfo {
  const { asker: _asker, ...info } = record;

  return info;
}

/**
 * The audience's questions of each event: asking while the event is live,
 * one upvote per listener, the states staff set (answered, hidden) and the
 * question on the venue screen. Everything lives in the store, so a restart
 * keeps it.
 */
export class QuestionBoard extends EventEmitter<QuestionBoardEvents> {
  readonly #store: QuestionStore;
  readonly #events: EventLookup;
  readonly #logger: Logger;

  constructor(store: QuestionStore, events: EventLookup, logger: Logger) {
    super();
    this.#store = store;
    this.#events = events;
    this.#logger = logger.child({ module: 'questions' });
  }

  /**
   * Stores a question of the live event, pinned to the event's stream time,
   * so that a page behind live (HLS) shows it when its playback gets there.
   */
  ask(eventId: string, question: { author: string | null; text: string; asker: string }): QuestionInfo {
    const event = this.#requireEvent(eventId);

    if (event.state !== 'live') throw podiumError('PODIUM_ERR_NOT_LIVE', event.state);

    const liveSince = event.liveSince ? Date.parse(event.liveSince) : Date.now();
    const record = this.#store.add({ eventId, ...question, streamTimeMs: Math.max(0, Date.now() - liveSince) });

    this.#logger.info({ eventId, questionId: record.id, length: record.text.length }, 'question received');

    return this.#changed(record, 'added');
  }

  /** Adds a listener's upvote; a second vote of the same listener changes nothing. */
  vote(eventId: string, questionId: number, voter: string): QuestionInfo {
    const event = this.#requireEvent(eventId);
    const record = this.#requireQuestion(eventId, questionId);

    if (event.state !== 'live') throw podiumError('PODIUM_ERR_NOT_LIVE', event.state);
    if (record.state === 'hidden') throw podiumError('PODIUM_ERR_QUESTION_NOT_FOUND', questionId);
    if (record.asker === voter) throw podiumError('PODIUM_ERR_FORBIDDEN', 'listener', 'upvote their own question');
    if (!this.#store.vote(questionId, voter)) return toInfo(record);
    this.#logger.debug({ eventId, questionId }, 'question upvoted');

    return this.#changed(this.#store.get(questionId) as QuestionRecord);
  }

  /** Sets the state staff chose; hiding a question also takes it off the venue screen. */
  setState(questionId: number, state: QuestionState): QuestionInfo {
    const record = this.#store.get(questionId);

    if (!record) throw podiumError('PODIUM_ERR_QUESTION_NOT_FOUND', questionId);
    this.#store.setState(questionId, state);
    this.#logger.info({ eventId: record.eventId, questionId, from: record.state, to: state }, 'question state changed');
    if (state === 'hidden' && record.onStage) return this.putOnStage(record.eventId, null) ?? toInfo(record);

    return this.#changed(this.#store.get(questionId) as QuestionRecord);
  }

  /** Shows a question on the event's venue screen, or none (null); returns the question shown. */
  putOnStage(eventId: string, questionId: number | null): QuestionInfo | null {
    this.#requireEvent(eventId);

    const previous = this.#store.stageQuestion(eventId);
    const next = questionId === null ? undefined : this.#requireQuestion(eventId, questionId);

    if (next?.state === 'hidden') throw podiumError('PODIUM_ERR_FORBIDDEN', 'staff member', 'show a hidden question');
    this.#store.setStageQuestion(eventId, questionId);
    this.#logger.info({ eventId, questionId }, 'venue screen question changed');
    if (previous && previous.id !== questionId) this.#changed(this.#store.get(previous.id) as QuestionRecord);
    this.emit('stage', eventId);

    return next ? this.#changed(this.#store.get(next.id) as QuestionRecord) : null;
  }

  /** Returns every question of an event, oldest first, for staff. */
  list(eventId: string): QuestionInfo[] {
    return this.#store.list(this.#requireEvent(eventId).id).map(toInfo);
  }

  /** Returns the questions shown to a listener: all but the hidden ones, and their own in any state. */
  listFor(eventId: string, listener: string): PublicQuestion[] {
    const voted = this.#store.votedBy(eventId, listener);

    return this.#store
      .list(eventId)
      .filter((record) => record.state !== 'hidden' || record.asker === listener)
      .map(({ asker, eventId: _eventId, ...question }) => ({ ...question, own: asker === listener, voted: voted.has(question.id) }));
  }

  /** Returns the question on the event's venue screen, or null. */
  stageQuestion(eventId: string): StageQuestion | null {
    const record = this.#store.stageQuestion(eventId);

    return record && record.state !== 'hidden' ? { id: record.id, author: record.author, text: record.text } : null;
  }

  #changed(record: QuestionRecord, change: 'added' | 'updated' = 'updated'): QuestionInfo {
    const info = toInfo(record);

    this.emit('question', info, change);

    return info;
  }

  #requireEvent(eventId: string): StaffEventInfo {
    const event = this.#events.find(eventId);

    if (!event) throw podiumError('PODIUM_ERR_EVENT_NOT_FOUND', eventId);

    return event;
  }

  #requireQuestion(eventId: string, questionId: number): QuestionRecord {
    const record = this.#store.get(questionId);

    if (!record || record.eventId !== eventId) throw podiumError('PODIUM_ERR_QUESTION_NOT_FOUND', questionId);

    return record;
  }
}
