import { rollingMedians, splitWarmUp, summarizeOffsets, type AvOffset } from '../test/helpers/av-offsets.js';
import { AvSyncSession } from '../test/helpers/av-sync-session.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

/** A microphone clock 0.1% fast: 3.6 s of extra audio per hour without correction. */
const DRIFT = 0.001;
const MAX_OFFSET_MS = 45;
/** The offset is the median of this many consecutive pairs, as in the integration test. */
const MEDIAN_WINDOW = 5;
/** Start-up of the captures and the packager, reported apart from the run. */
const WARM_UP_SECONDS = 20;
/** Lines of the time series in the report. */
const SERIES_LINES = 12;

function seriesLines(offsets: AvOffset[]): string[] {
  const first = offsets[0]?.flashTime ?? 0;
  const last = offsets.at(-1)?.flashTime ?? 0;
  const step = Math.max((last - first) / SERIES_LINES, 1);
  const lines = ['output time   pairs   max |offset|   mean offset'];

  for (let start = first; start < last; start += step) {
    // The last window also takes the last pair, which lies on its end.
    const end = start + step >= last ? Infinity : start + step;
    const window = offsets.filter((offset) => offset.flashTime >= start && offset.flashTime < end);
    const summary = summarizeOffsets(window);

    if (!summary) continue;
    lines.push(
      `${(start / 60).toFixed(1).padStart(7)} min ${String(summary.pairs).padStart(7)} ` +
        `${String(summary.maxAbsMs).padStart(11)} ms ${String(summary.meanMs).padStart(10)} ms`,
    );
  }

  return lines;
}

/**
 * Podium live with the fake venue for the given minutes, its microphone
 * 0.1% fast, measuring each flash against its beep in the decoded HLS output.
 */
export const avSyncDrift: Benchmark = {
  name: 'av-sync-drift',
  description: `audio/video offset in the HLS output with the microphone 0.1% fast; goal: within ${MAX_OFFSET_MS} ms`,
  defaultMinutes: 60,
  async run({ minutes, progress }): Promise<BenchmarkResult> {
    const runSeconds = minutes * 60;
    let nextReport = 60;
    const session = await AvSyncSession.start({
      audioClockDrift: DRIFT,
      onOffset: (offset) => {
        if (offset.flashTime < nextReport) return;
        nextReport += 60;
        progress(`${(offset.flashTime / 60).toFixed(0)} min of output: offset ${offset.offsetMs} ms`);
      },
    });

    try {
      await session.waitUntilLiveFor(runSeconds);
    } finally {
      await session.stop();
    }

    const { warmUp, settled } = splitWarmUp(session.offsets, WARM_UP_SECONDS);
    const summary = summarizeOffsets(settled);
    const medians = rollingMedians(settled, MEDIAN_WINDOW);

    if (!summary || medians.length === 0) throw new Error('the probe measured too few flashes and beeps after the warm-up');

    return {
      metrics: [
        { name: `max |median of ${MEDIAN_WINDOW} pairs|`, value: Math.max(...medians.map(Math.abs)), unit: 'ms', max: MAX_OFFSET_MS },
        { name: `final |median of ${MEDIAN_WINDOW} pairs|`, value: Math.abs(medians.at(-1)!), unit: 'ms', max: MAX_OFFSET_MS },
        { name: 'max |offset| of a single pair', value: summary.maxAbsMs, unit: 'ms' },
        { name: 'mean offset (audio late > 0)', value: summary.meanMs, unit: 'ms' },
        { name: 'flash-beep pairs', value: summary.pairs, unit: '' },
        { name: `max |offset| in the first ${WARM_UP_SECONDS} s`, value: summarizeOffsets(warmUp)?.maxAbsMs ?? 0, unit: 'ms' },
      ],
      details: seriesLines(settled),
    };
  },
};
