import type { PublicQuestion, QuestionInfo, QuestionState } from '../../appliance/signaling/protocol.js';

const STATE_RANK: Record<QuestionState, number> = { open: 0, answered: 1, hidden: 2 };

/**
 * Orders the console's queue: open questions first, then answered, then
 * hidden; within each, most votes first, then the oldest first.
 */
export function queueOrder(questions: readonly QuestionInfo[]): QuestionInfo[] {
  return [...questions].sort(
    (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || b.votes - a.votes || a.id - b.id,
  );
}

/**
 * Returns the questions a watch page shows at its playback position, in
 * the order they were asked. positionMs is the page's position in the
 * event's stream time, or null at the live edge (WebRTC), where every
 * question shows. A listener's own questions always show.
 */
export function visibleAt(questions: readonly PublicQuestion[], positionMs: number | null): PublicQuestion[] {
  return questions
    .filter((question) => question.own || positionMs === null || question.streamTimeMs <= positionMs)
    .sort((a, b) => a.streamTimeMs - b.streamTimeMs || a.id - b.id);
}
