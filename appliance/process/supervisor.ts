import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { Logger } from '../log.js';
import { redactSecrets, StderrTail } from './stderr-tail.js';

/** Exit details of a supervised process. */
export type ProcessExit = {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when Podium asked the process to stop. */
  requested: boolean;
  /** Last stderr lines, secrets removed. */
  stderr: string[];
};

export type ProcessSpec = {
  /** Short name for logs, for example "capture" or "hls". */
  name: string;
  command: string;
  args: string[];
  /** Ids that every log line of this process carries (event id, room id). */
  logContext?: Record<string, unknown>;
  /** How long stop() waits after asking the process to finish before SIGKILL. */
  stopTimeoutMs?: number;
  /**
   * Sees each stderr line; returns true for lines that carry data (such as
   * ffmpeg's audio level readings), which then stay out of the exit log.
   */
  consumeStderrLine?: (line: string) => boolean;
  /** 'pipe' gives the process a standard input that Podium writes to (see SupervisedProcess.stdin). */
  stdin?: 'ignore' | 'pipe';
  /**
   * Logs the start and the exit at debug level, for commands run once per
   * request (v4l2-ctl, stty, the device listings) whose caller logs the outcome.
   */
  quiet?: boolean;
  /** Keeps standard output for stdout() (up to MAX_STDOUT_BYTES) instead of discarding it. */
  captureStdout?: boolean;
  /** Receives the process's standard output as it arrives. */
  onStdout?: (chunk: Buffer) => void;
  /** Values that never reach a log line, such as a stream key in the command. */
  secrets?: string[];
};

/** The exit of a one-shot command, with its standard output. */
export type CommandResult = ProcessExit & { stdout: string };

/** Standard output kept per process; a one-shot command such as v4l2-ctl prints a few kilobytes. */
const MAX_STDOUT_BYTES = 1024 * 1024;

export type SupervisedProcessEvents = {
  /** Emitted once with how the process ended. */
  exit: [ProcessExit];
};

const PDEATHSIG_WRAPPER = '/usr/bin/setpriv';

/**
 * One child process owned by the supervisor. The process receives SIGKILL
 * from the kernel when Podium dies (prctl PR_SET_PDEATHSIG through setpriv),
 * so it never outlives Podium, even after a SIGKILL of Podium itself.
 */
export class SupervisedProcess extends EventEmitter<SupervisedProcessEvents> {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #logger: Logger;
  readonly #tail: StderrTail;
  readonly #stopTimeoutMs: number;
  readonly #exited: Promise<ProcessExit>;
  readonly #quiet: boolean;
  readonly #stdout: Buffer[] = [];
  #stdoutBytes = 0;
  #stopRequested = false;
  #exit: ProcessExit | undefined;

  constructor(spec: ProcessSpec, logger: Logger) {
    super();
    this.name = spec.name;
    this.#stopTimeoutMs = spec.stopTimeoutMs ?? 5000;
    this.#quiet = spec.quiet ?? false;
    this.#tail = new StderrTail(12, spec.consumeStderrLine, spec.secrets);

    const [command, args] = withParentDeathSignal(spec.command, spec.args);

    this.#child = spawn(command, args, {
      stdio: [spec.stdin ?? 'ignore', spec.captureStdout || spec.onStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    // A process that exits while Podium writes to it must not crash Podium with EPIPE.
    this.#child.stdin?.on('error', (error) => this.#logger.debug({ err: error }, 'standard input closed'));
    this.#logger = logger.child({ process: spec.name, childPid: this.#child.pid, ...spec.logContext });
    this.#exited = new Promise((resolve) => {
      this.#child.once('close', (code, signal) => {
        resolve(this.#recordExit(code, signal));
      });
    });
    this.#wireOutput(spec);
    this.#logger[this.#quiet ? 'debug' : 'info'](
      { commandLine: redactSecrets([spec.command, ...spec.args].join(' '), spec.secrets) },
      'process started',
    );
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The process's standard input for a spec with stdin 'pipe', else null. */
  get stdin(): Writable | null {
    return this.#child.stdin;
  }

  /** Exit details, or undefined while the process runs. */
  get exitInfo(): ProcessExit | undefined {
    return this.#exit;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Resolves when the process has exited, for whatever reason. */
  exited(): Promise<ProcessExit> {
    return this.#exited;
  }

  /**
   * Asks the process to finish with SIGINT (ffmpeg then writes its trailers,
   * such as the HLS end tag), and sends SIGKILL when it has not exited within
   * the stop timeout.
   */
  async stop(): Promise<ProcessExit> {
    if (this.#exit) return this.#exit;

    this.#stopRequested = true;
    this.#logger.info({ timeoutMs: this.#stopTimeoutMs }, 'process stop requested');
    this.#child.kill('SIGINT');

    const timer = setTimeout(() => {
      this.#logger.warn({ timeoutMs: this.#stopTimeoutMs }, 'process did not finish in time, killing it');
      this.#child.kill('SIGKILL');
    }, this.#stopTimeoutMs);

    const exit = await this.#exited;

    clearTimeout(timer);

    return exit;
  }

  /** Kills the process at once, for shutdown paths that cannot wait. */
  kill(): void {
    if (this.#exit) return;
    this.#stopRequested = true;
    this.#child.kill('SIGKILL');
  }

  /** Last stderr lines, secrets removed. */
  stderrTail(): string[] {
    return this.#tail.lines();
  }

  /** Standard output so far as UTF-8, empty unless the spec set captureStdout. */
  stdout(): string {
    return Buffer.concat(this.#stdout).toString('utf8');
  }

  #wireOutput(spec: ProcessSpec): void {
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#tail.push(chunk));
    if (spec.captureStdout) this.#child.stdout?.on('data', (chunk: Buffer) => this.#keepStdout(chunk));
    if (spec.onStdout) this.#child.stdout?.on('data', spec.onStdout);
    this.#child.on('error', (error) => {
      this.#logger.error({ err: error }, 'process failed to start');
    });
  }

  #keepStdout(chunk: Buffer): void {
    const room = MAX_STDOUT_BYTES - this.#stdoutBytes;

    if (room <= 0) return;
    if (chunk.length > room) this.#logger.warn({ maxBytes: MAX_STDOUT_BYTES }, 'process output too long, rest dropped');
    this.#stdout.push(chunk.subarray(0, room));
    this.#stdoutBytes += Math.min(chunk.length, room);
  }

  #recordExit(code: number | null, signal: NodeJS.Signals | null): ProcessExit {
    const exit: ProcessExit = {
      code,
      signal,
      requested: this.#stopRequested,
      stderr: this.#tail.lines(),
    };
    const fields = { code, signal, stderr: exit.stderr };

    this.#exit = exit;
    if (this.#quiet) {
      this.#logger.debug(fields, 'process ended');
    } else if (exit.requested) {
      this.#logger.info(fields, 'process stopped by us');
    } else if (code === 0) {
      this.#logger.info(fields, 'process exited by itself');
    } else {
      this.#logger.error(fields, 'process died unexpectedly');
    }
    this.emit('exit', exit);

    return exit;
  }
}

/**
 * Starts, tracks and stops every child process of Podium. Nothing else in
 * Podium spawns processes (mediasoup's worker is mediasoup's own).
 */
export class Supervisor {
  readonly #logger: Logger;
  readonly #children = new Set<SupervisedProcess>();
  readonly #restarts = new Map<string, number>();

  constructor(logger: Logger) {
    this.#logger = logger.child({ module: 'supervisor' });
  }

  start(spec: ProcessSpec): SupervisedProcess {
    const child = new SupervisedProcess(spec, this.#logger);

    this.#children.add(child);
    void child.exited().then(() => this.#children.delete(child));

    return child;
  }

  /**
   * Runs a short-lived command to its end. Resolves with its exit and its
   * standard output when the code is 0; rejects with the code and last stderr
   * lines otherwise.
   */
  async run(spec: ProcessSpec): Promise<CommandResult> {
    const child = this.start({ ...spec, captureStdout: true });
    const exit = await child.exited();

    if (exit.code !== 0) {
      throw new Error(
        `${spec.name} failed with exit code ${exit.code ?? exit.signal}: ${exit.stderr.slice(-3).join(' | ') || 'no output'}`,
      );
    }

    return { ...exit, stdout: child.stdout() };
  }

  /** Counts one restart of a process that ended without being stopped (RestartingProcess calls it). */
  countRestart(name: string): void {
    this.#restarts.set(name, (this.#restarts.get(name) ?? 0) + 1);
  }

  /** Restarts since Podium started, by process name. */
  restartCounts(): ReadonlyMap<string, number> {
    return this.#restarts;
  }

  /** Processes that have not exited yet. */
  running(): SupervisedProcess[] {
    return [...this.#children];
  }

  /** Asks every child to finish and waits for all of them. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => child.stop()));
  }

  /** Kills every child at once (last resort in an exit handler). */
  killAll(): void {
    for (const child of this.#children) child.kill();
  }
}

function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (!existsSync(PDEATHSIG_WRAPPER)) {
    throw new Error(
      `${PDEATHSIG_WRAPPER} not found: install Debian's util-linux package, which ` +
        'Podium needs so that its child processes die with it',
    );
  }

  return [PDEATHSIG_WRAPPER, ['--pdeathsig', 'SIGKILL', '--', command, ...args]];
}
