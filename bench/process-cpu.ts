import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports process times in clock ticks; 100 a second on every common kernel configuration. */
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Returns the CPU time a process has used so far (user plus system, all threads), in seconds. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in brackets may contain spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);

  return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND;
}

/** Measures a process's CPU use between two calls, as a fraction of one core. */
export class CpuMeter {
  readonly #pid: number;
  #cpu: number;
  #at: number;

  constructor(pid: number) {
    this.#pid = pid;
    this.#cpu = processCpuSeconds(pid);
    this.#at = performance.now();
  }

  /** Returns the share of one core used since the last call (or construction), and starts a new window. */
  sample(): number {
    const cpu = processCpuSeconds(this.#pid);
    const at = performance.now();
    const share = (cpu - this.#cpu) / ((at - this.#at) / 1000);

    this.#cpu = cpu;
    this.#at = at;

    return share;
  }
}

/** Reads a field in kB (such as "VmRSS:") from a file under /proc/<pid> and returns it in MB; 0 once the process has ended. */
function procFieldMb(pid: number, file: string, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\n').find((entry) => entry.startsWith(field));

    return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Returns a process's resident set size in MB, or 0 once it has ended. */
export function residentMb(pid: number): number {
  return procFieldMb(pid, 'status', 'VmRSS:');
}

/**
 * Returns a process's proportional set size in MB (/proc/<pid>/smaps_rollup):
 * its resident memory with each shared page divided among the processes
 * that map it, so that sums over processes count shared libraries once.
 * Returns 0 once the process has ended.
 */
export function proportionalMb(pid: number): number {
  return procFieldMb(pid, 'smaps_rollup', 'Pss:');
}

/** Binds every thread of a process to one CPU core (taskset). */
export function pinToCore(pid: number, core: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(core), String(pid)], { stdio: 'ignore' });
}

/** Lets every thread of a process run on all of the machine's cores again (taskset). */
export function unpin(pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', `0-${cpus().length - 1}`, String(pid)], { stdio: 'ignore' });
}

/** Reads one core's busy and total time from /proc/stat, in clock ticks. */
function coreTicks(core: number): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((entry) => entry.startsWith(`cpu${core} `));

  if (!line) throw new Error(`/proc/stat has no line for CPU core ${core}`);

  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already part of
  // user and nice, and idle, iowait and steal (time the hypervisor gave to others) are not busy.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq;

  return { busy, total: busy + idle + iowait + steal };
}

/** Measures how busy one CPU core was between two calls (every process on it), as a fraction. */
export class CoreMeter {
  readonly #core: number;
  #last: { busy: number; total: number };

  constructor(core: number) {
    this.#core = core;
    this.#last = coreTicks(core);
  }

  /** Returns the core's busy share since the last call (or construction), and starts a new window. */
  sample(): number {
    const now = coreTicks(this.#core);
    const total = now.total - this.#last.total;
    const share = total > 0 ? (now.busy - this.#last.busy) / total : 0;

    this.#last = now;

    return share;
  }
}
