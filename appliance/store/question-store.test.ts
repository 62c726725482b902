import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuestionStore } from './question-store.js';
import { Store } from './store.js';

describe('QuestionStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-questions-'));
  const path = join(dir, 'podium.sqlite');

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps questions, votes, states and the stage across a reopen', () => {
    const first = new Store(path);
    const event = first.createEvent({ title: 'Lesung', description: '', startsAt: '2027-03-01T18:00:00Z' });
    const questions = new QuestionStore(first.database);
    const asked = questions.add({ eventId: event.id, author: 'Anna', text: 'Wann?', asker: 'key-a', streamTimeMs: 4200 });
    const other = questions.add({ eventId: event.id, author: null, text: 'Wo?', asker: 'key-b', streamTimeMs: 9000 });

    expect(questions.vote(asked.id, 'key-b')).toBe(true);
    expect(questions.vote(asked.id, 'key-b')).toBe(false);
    expect(questions.vote(asked.id, 'key-c')).toBe(true);
    questions.setState(other.id, 'answered');
    questions.setStageQuestion(event.id, asked.id);
    first.close();

    const second = new Store(path);
    const reopened = new QuestionStore(second.database);
    const [one, two] = reopened.list(event.id);

    expect(one?.votes).toBe(2);
    expect(one?.onStage).toBe(true);
    expect(one?.streamTimeMs).toBe(4200);
    expect(one?.asker).toBe('key-a');
    expect(two?.state).toBe('answered');
    expect(two?.onStage).toBe(false);
    expect(reopened.votedBy(event.id, 'key-b')).toEqual(new Set([asked.id]));
    expect(reopened.stageQuestion(event.id)?.id).toBe(asked.id);
    second.close();
  });

  it('deletes votes with the event texts', () => {
    const store = new Store(path);
    const event = store.listEvents().find((candidate) => candidate.title === 'Lesung')!;
    const questions = new QuestionStore(store.database);

    expect(store.deleteEventTexts(event.id)).toBe(2);
    expect(questions.list(event.id)).toEqual([]);
    expect(store.database.prepare('SELECT COUNT(*) AS count FROM question_votes').get()).toEqual({ count: 0 });
    expect(questions.stageQuestion(event.id)).toBeUndefined();
    store.close();
  });
});
