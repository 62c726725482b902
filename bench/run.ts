import { parseArgs } from 'node:util';
import { avSyncDrift } from './av-sync-drift.js';
import { metTargets, type Benchmark, type BenchmarkResult } from './benchmark.js';
import { glassToGlass } from './glass-to-glass.js';
import { pipelineCost } from './pipeline-cost.js';
import { recovery } from './recovery.js';
import { loadLine, machineLine, REPORT_FILE, writeReportFile, type ReportEntry } from './report-file.js';
import { soak } from './soak.js';
import { timeToLive } from './time-to-live.js';
import { viewersPerCore } from './viewers-per-core.js';

/** The benchmarks of `npm run bench`, in the order it runs them. */
const BENCHMARKS: Benchmark[] = [glassToGlass, timeToLive, pipelineCost, soak, recovery, avSyncDrift, viewersPerCore];

const USAGE = `usage: npm run bench -- [--minutes N] [--list] [NAME ...]
  Writes the results to ${REPORT_FILE}, keeping the sections of benchmarks not run.
  NAME          run only these benchmarks (default: all)
  --minutes N   run each for N minutes instead of its own duration, for a quick check
                (also PODIUM_BENCH_MINUTES=N)
  --list        list the benchmarks and exit`;

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseMinutes(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;

  const minutes = Number(text);

  if (!Number.isFinite(minutes) || minutes <= 0) fail(`invalid minutes "${text}"; give a positive number such as 3`);

  return minutes;
}

function formatResult(benchmark: Benchmark, minutes: number, result: BenchmarkResult): string[] {
  const lines = [`${benchmark.name} (${minutes} min): ${metTargets(result) ? 'PASS' : 'FAIL'}`];

  for (const metric of result.metrics) {
    const target = metric.max === undefined ? '' : `   target <= ${metric.max} ${metric.unit}`;

    const missing = Number.isFinite(metric.value) ? '' : '   (not measured: no samples)';

    lines.push(`  ${metric.name.padEnd(34)} ${String(metric.value).padStart(8)} ${metric.unit}${target}${missing}`);
  }
  for (const line of result.details) lines.push(`  ${line}`);

  return lines;
}

async function main(): Promise<void> {
  // Podium's warnings (such as the staff password file of each fresh data
  // directory) would interleave with the report.
  process.env.PODIUM_TEST_LOG_LEVEL ??= 'error';

  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { minutes: { type: 'string' }, list: { type: 'boolean' }, help: { type: 'boolean' } },
  });

  if (values.help) {
    console.log(USAGE);

    return;
  }
  if (values.list) {
    for (const benchmark of BENCHMARKS) console.log(`${benchmark.name}  ${benchmark.description}`);

    return;
  }

  const minutes = parseMinutes(values.minutes) ?? parseMinutes(process.env.PODIUM_BENCH_MINUTES);
  const unknown = positionals.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));

  if (unknown.length > 0) fail(`unknown benchmark "${unknown.join('", "')}"; see --list`);

  const selected = positionals.length > 0 ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS;
  const report: string[] = [];
  const entries: ReportEntry[] = [];
  let failed = 0;

  for (const benchmark of selected) {
    const runMinutes = minutes ?? benchmark.defaultMinutes;
    const progress = (line: string) => console.log(`[${benchmark.name}] ${line}`);

    const startedAt = new Date();
    const loadAtStart = loadLine();

    progress(`running for ${runMinutes} min: ${benchmark.description}`);
    try {
      const result = await benchmark.run({ minutes: runMinutes, progress });

      if (!metTargets(result)) failed += 1;
      report.push(...formatResult(benchmark, runMinutes, result));
      entries.push({ benchmark, minutes: runMinutes, startedAt, machine: machineLine(), loadAtStart, result });
    } catch (error) {
      failed += 1;
      report.push(`${benchmark.name} (${runMinutes} min): ERROR ${(error as Error).message}`);
      entries.push({ benchmark, minutes: runMinutes, startedAt, machine: machineLine(), loadAtStart, error: (error as Error).message });
    }
  }
  writeReportFile(REPORT_FILE, BENCHMARKS, entries);
  report.push('', `wrote ${REPORT_FILE}`);

  const passed = selected.length - failed;

  console.log(['', 'Benchmark report', ...report, '', `bench: ${passed} met their targets, ${failed} did not`].join('\n'));
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
