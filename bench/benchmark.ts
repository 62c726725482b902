/** The inputs of one benchmark run. */
export type BenchmarkContext = {
  /** How long to run, in minutes: the benchmark's own duration unless shortened for a quick check. */
  minutes: number;
  /** Prints a progress line while the benchmark runs. */
  progress: (line: string) => void;
};

/** One measured value of a report, with the target it is held against. */
export type BenchmarkMetric = {
  name: string;
  value: number;
  unit: string;
  /** The largest value that meets the goal; undefined for values only reported. */
  max?: number;
};

export type BenchmarkResult = {
  metrics: BenchmarkMetric[];
  /** Further report lines, such as a time series. */
  details: string[];
};

/** A benchmark that `npm run bench` can run by name. */
export type Benchmark = {
  name: string;
  /** One line on what it measures and against which goal. */
  description: string;
  /** How it measures, in a paragraph for the report page; without one the page refers to bench/README.md. */
  method?: string;
  /** The duration the goal is stated for, in minutes. */
  defaultMinutes: number;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
};

/**
 * Returns true when every metric has a value and every metric with a target
 * meets it. A metric without samples (NaN) fails, so that a benchmark that
 * measured nothing is never reported as passing.
 */
export function metTargets(result: BenchmarkResult): boolean {
  return result.metrics.every((metric) => Number.isFinite(metric.value) && (metric.max === undefined || metric.value <= metric.max));
}
