import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the live processes whose parent is the given pid (from /proc). */
export function childPids(parentPid: number): number[] {
  const pids: number[] = [];

  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces; fields after it are fixed.
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = afterName[0];
      const ppid = Number(afterName[1]);

      if (ppid === parentPid && state !== 'Z') pids.push(Number(entry));
    } catch {
      // The process ended while we read /proc.
    }
  }

  return pids;
}

/** Returns the command line of a process, or undefined when it no longer exists. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  const cmdline = commandLine(pid);

  if (cmdline === undefined) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');

    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
