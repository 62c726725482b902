import type Database from 'better-sqlite3';
import type { QuestionInfo, QuestionState } from '../signaling/protocol.js';

/** A question as stored, with the key of the listener who asked it. */
export type QuestionRecord = QuestionInfo & { asker: string };

export type NewQuestion = {
  eventId: string;
  author: string | null;
  text: string;
  asker: string;
  streamTimeMs: number;
};

type QuestionRow = {
  id: number;
  event_id: string;
  author: string | null;
  body: string;
  created_at: string;
  state: QuestionState;
  stream_time_ms: number;
  asker: string | null;
  votes: number;
  on_stage: number;
};

const SELECT_QUESTIONS = `
  SELECT t.id, t.event_id, t.author, t.body, t.created_at, t.state, t.stream_time_ms, t.asker,
         (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = t.id) AS votes,
         (e.stage_question_id IS t.id) AS on_stage
  FROM event_texts t JOIN events e ON e.id = t.event_id
  WHERE t.kind = 'question'`;

function toRecord(row: QuestionRow): QuestionRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    author: row.author,
    text: row.body,
    createdAt: row.created_at,
    state: row.state,
    votes: row.votes,
    streamTimeMs: row.stream_time_ms,
    onStage: row.on_stage === 1,
    asker: row.asker ?? '',
  };
}

/**
 * The audience's questions in the event_texts table, their upvotes and the
 * question each event shows on the venue screen. Deleting an event's texts
 * deletes their votes too.
 */
export class QuestionStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  add(question: NewQuestion): QuestionRecord {
    const result = this.#db
      .prepare(
        `INSERT INTO event_texts (event_id, kind, author, body, created_at, state, stream_time_ms, asker)
         VALUES (?, 'question', ?, ?, ?, 'open', ?, ?)`,
      )
      .run(question.eventId, question.author, question.text, new Date().toISOString(), question.streamTimeMs, question.asker);

    return this.get(Number(result.lastInsertRowid)) as QuestionRecord;
  }

  get(id: number): QuestionRecord | undefined {
    const row = this.#db.prepare(`${SELECT_QUESTIONS} AND t.id = ?`).get(id) as QuestionRow | undefined;

    return row ? toRecord(row) : undefined;
  }

  /** Returns an event's questions, oldest first. */
  list(eventId: string): QuestionRecord[] {
    const rows = this.#db.prepare(`${SELECT_QUESTIONS} AND t.event_id = ? ORDER BY t.id`).all(eventId) as QuestionRow[];

    return rows.map(toRecord);
  }

  setState(id: number, state: QuestionState): void {
    this.#db.prepare("UPDATE event_texts SET state = ? WHERE id = ? AND kind = 'question'").run(state, id);
  }

  /** Records a listener's vote; returns false when that listener had voted for it already. */
  vote(id: number, voter: string): boolean {
    return this.#db.prepare('INSERT OR IGNORE INTO question_votes (question_id, voter) VALUES (?, ?)').run(id, voter).changes === 1;
  }

  /** Returns the ids of an event's questions that a listener voted for. */
  votedBy(eventId: string, voter: string): Set<number> {
    const rows = this.#db
      .prepare(
        `SELECT v.question_id AS id FROM question_votes v JOIN event_texts t ON t.id = v.question_id
         WHERE t.event_id = ? AND v.voter = ?`,
      )
      .all(eventId, voter) as { id: number }[];

    return new Set(rows.map((row) => row.id));
  }

  /** Puts a question on the event's venue screen, or none with null. */
  setStageQuestion(eventId: string, questionId: number | null): void {
    this.#db.prepare('UPDATE events SET stage_question_id = ? WHERE id = ?').run(questionId, eventId);
  }

  /** Returns the question on the event's venue screen, or undefined. */
  stageQuestion(eventId: string): QuestionRecord | undefined {
    const row = this.#db.prepare(`${SELECT_QUESTIONS} AND t.event_id = ? AND e.stage_question_id = t.id`).get(eventId) as
      | QuestionRow
      | undefined;

    return row ? toRecord(row) : undefined;
  }
}
