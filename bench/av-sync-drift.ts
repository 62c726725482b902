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
/**
 * The share of the measured seconds that may lack a flash-beep pair: the
 * HLS output ends a few seconds after the probe stops. More missing pairs
 * mean that the probe or the pipeline stalled, and the offsets do not cover
 * the run.
 */
const MAX_MISSING_SHARE = 0.1;

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
  method:
    'Podium goes live with a fake venue as camera and microphone: one ffmpeg that flashes the picture white ' +
    'and beeps for 100 ms at every full second, and writes raw frames and PCM to two named pipes. It writes ' +
    '48,048 samples per real second, which the capture reads as 48 kHz: a microphone clock 0.1% fast, which ' +
    'without correction would put the sound 3.6 s behind the picture after an hour. A probe ffmpeg decodes ' +
    'the HLS output as a viewer does and pairs each flash with its beep. After a 20 s warm-up, the report ' +
    `gives the largest and the final median of ${MEDIAN_WINDOW} consecutive offsets (the goal: within ` +
    `${MAX_OFFSET_MS} ms), the largest single offset, the mean, and the seconds without a pair, which show ` +
    'whether the probe or the pipeline stalled.',
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

    // The fake venue flashes and beeps once a second.
    const expectedPairs = Math.floor(runSeconds - WARM_UP_SECONDS);

    return {
      metrics: [
        { name: `max |median of ${MEDIAN_WINDOW} pairs|`, value: Math.max(...medians.map(Math.abs)), unit: 'ms', max: MAX_OFFSET_MS },
        { name: `final |median of ${MEDIAN_WINDOW} pairs|`, value: Math.abs(medians.at(-1)!), unit: 'ms', max: MAX_OFFSET_MS },
        { name: 'max |offset| of a single pair', value: summary.maxAbsMs, unit: 'ms' },
        { name: 'mean offset (audio late > 0)', value: summary.meanMs, unit: 'ms' },
        { name: 'flash-beep pairs', value: summary.pairs, unit: '' },
        {
          name: 'seconds without a pair',
          value: Math.max(0, expectedPairs - summary.pairs),
          unit: 's',
          max: Math.round(expectedPairs * MAX_MISSING_SHARE),
        },
        { name: `max |offset| in the first ${WARM_UP_SECONDS} s`, value: summarizeOffsets(warmUp)?.maxAbsMs ?? 0, unit: 'ms' },
      ],
      details: seriesLines(settled),
    };
  },
};
