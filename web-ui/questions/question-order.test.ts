import { describe, expect, it } from 'vitest';
import type { PublicQuestion, QuestionInfo } from '../../appliance/signaling/protocol.js';
import { queueOrder, visibleAt } from './question-order.js';

function question(id: number, fields: Partial<QuestionInfo> = {}): QuestionInfo {
  return {
    id,
    eventId: 'e',
    author: null,
    text: `Frage ${id}`,
    createdAt: '2027-03-01T18:00:00Z',
    state: 'open',
    votes: 0,
    streamTimeMs: id * 1000,
    onStage: false,
    ...fields,
  };
}

function publicQuestion(id: number, streamTimeMs: number, own = false): PublicQuestion {
  const { eventId: _eventId, ...rest } = question(id, { streamTimeMs });

  return { ...rest, own, voted: false };
}

describe('queueOrder', () => {
  it('sorts by votes, then age', () => {
    const ordered = queueOrder([question(1, { votes: 1 }), question(2, { votes: 3 }), question(3, { votes: 1 })]);

    expect(ordered.map((entry) => entry.id)).toEqual([2, 1, 3]);
  });

  it('puts answered and hidden below open ones', () => {
    const ordered = queueOrder([
      question(1, { state: 'hidden', votes: 9 }),
      question(2, { state: 'answered', votes: 5 }),
      question(3),
    ]);

    expect(ordered.map((entry) => entry.id)).toEqual([3, 2, 1]);
  });
});

describe('visibleAt', () => {
  const questions = [publicQuestion(3, 30_000), publicQuestion(1, 10_000), publicQuestion(2, 20_000, true)];

  it('shows everything at the live edge', () => {
    expect(visibleAt(questions, null).map((entry) => entry.id)).toEqual([1, 2, 3]);
  });

  it('holds back questions after the playback position', () => {
    expect(visibleAt(questions, 15_000).map((entry) => entry.id)).toEqual([1, 2]);
  });

  it('shows questions in stream time order as playback advances', () => {
    expect(visibleAt(questions, 5_000).map((entry) => entry.id)).toEqual([2]);
    expect(visibleAt(questions, 30_000).map((entry) => entry.id)).toEqual([1, 2, 3]);
  });
});
