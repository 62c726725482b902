import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { version as mediasoupVersion } from 'mediasoup';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

/** The page `npm run bench` writes, relative to the repository root. */
export const REPORT_FILE = 'docs/benchmarks.md';

/** One benchmark's outcome for the report page: its result, or the error that stopped it. */
export type ReportEntry = {
  benchmark: Benchmark;
  minutes: number;
  startedAt: Date;
  /** The machine and its load average when the benchmark ended (machineLine()). */
  machine: string;
  /** The load average when the benchmark started (loadLine()), where recorded. */
  loadAtStart?: string;
  result?: BenchmarkResult;
  error?: string;
};

const HEADER = `# Benchmarks

\`npm run bench\` writes this page; \`bench/README.md\` describes how to run the
benchmarks. Each section below is replaced when its benchmark runs again, so
sections may come from different runs: each names its own date and machine.
Results from before this page existed are in the results table of
\`bench/README.md\`.

Quote a figure only from a section that ran for its full duration (the run
line says "shortened" otherwise) on an otherwise idle machine. The load
average at the start shows what else ran, including the benchmark before it
in the same run, and the one at the end also includes the benchmark's own
load. The run line gives the duration asked for: time-to-live stops after
five starts, viewers-per-core after its last step. Only av-sync-drift has
targets; the other figures are reported for comparison, not judged.
`;

function ffmpegVersion(): string {
  try {
    return execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/ Copyright.*/, '');
  } catch {
    return 'ffmpeg not found';
  }
}

/** Describes the machine: CPU, cores, memory, kernel, versions and the load average now. */
export function machineLine(): string {
  const cpu = cpus();

  return (
    `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Linux ${release()}, ` +
    `Node ${process.version}, ${ffmpegVersion()}, mediasoup ${mediasoupVersion}; load average ${loadLine()} at the end`
  );
}

/** Returns the load average now, over 1, 5 and 15 minutes. */
export function loadLine(): string {
  return `${loadavg().map((value) => value.toFixed(1)).join(', ')} (1, 5, 15 min)`;
}

function startMarker(name: string): string {
  return `<!-- bench:${name} -->`;
}

function endMarker(name: string): string {
  return `<!-- /bench:${name} -->`;
}

/** Formats one benchmark's section: what it measures, how, when, where, and the figures. */
export function formatSection(entry: ReportEntry): string {
  const { benchmark, minutes, startedAt, machine, loadAtStart, result, error } = entry;
  const lines = [
    startMarker(benchmark.name),
    `## ${benchmark.name}`,
    '',
    benchmark.description.replace(/^./, (first) => first.toUpperCase()) + '.',
    '',
    `Method: ${benchmark.method ?? 'see bench/README.md.'}`,
    '',
    `Run: ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes} min` +
      `${minutes < benchmark.defaultMinutes ? ` (shortened from ${benchmark.defaultMinutes})` : ''}` +
      `${loadAtStart === undefined ? '' : `; load average at the start ${loadAtStart}`}.`,
    `Machine: ${machine}.`,
    '',
  ];

  if (error !== undefined || !result) {
    lines.push(`The run failed: ${error ?? 'no result'}.`);
  } else {
    lines.push('| Metric | Value | Target |', '| --- | --- | --- |');
    for (const metric of result.metrics) {
      const value = Number.isFinite(metric.value) ? `${metric.value} ${metric.unit}` : 'not measured (no samples)';

      // A | in a name, as in |offset|, would end the table cell.
      lines.push(`| ${metric.name.replaceAll('|', '\\|')} | ${value} | ${metric.max === undefined ? '' : `<= ${metric.max} ${metric.unit}`} |`);
    }
    if (result.details.length > 0) lines.push('', '```', ...result.details, '```');
  }
  lines.push(endMarker(benchmark.name));

  return lines.join('\n');
}

/** Returns the sections of an existing report page, by benchmark name. */
function existingSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();

  for (const match of text.matchAll(/<!-- bench:([\w-]+) -->[\s\S]*?<!-- \/bench:\1 -->/g)) sections.set(match[1]!, match[0]);

  return sections;
}

/**
 * Writes the report page: the header, then one section per benchmark in
 * the given order, from this run where it ran, else kept from the page as
 * it was.
 */
export function writeReportFile(path: string, order: Benchmark[], entries: ReportEntry[]): void {
  const previousSections = existsSync(path) ? existingSections(readFileSync(path, 'utf8')) : new Map<string, string>();
  const sections = order.flatMap((benchmark) => {
    const entry = entries.find((candidate) => candidate.benchmark.name === benchmark.name);

    if (entry) return [formatSection(entry)];

    const previous = previousSections.get(benchmark.name);

    return previous ? [previous] : [];
  });

  writeFileSync(path, `${HEADER}\n${sections.join('\n\n')}\n`);
}
