import type { Logger } from '../log.js';
import { Supervisor } from '../process/supervisor.js';
import type { Sfu } from '../sfu/sfu.js';
import { SdNotifier } from './sd-notify.js';
import { Watchdog, watchdogIntervalMs } from './watchdog.js';

/** Podium's side of a systemd Type=notify service with a watchdog. */
export type SystemdService = {
  /** Sends READY=1 and starts feeding the watchdog. */
  ready(): void;
  /** Stops feeding the watchdog and sends STOPPING=1. */
  stopping(): void;
  close(): Promise<void>;
};

/** Maximum event-loop delay that still counts as responsive, whatever the watchdog interval. */
const MAX_LOOP_DELAY_MS = 5000;

/**
 * Sets up systemd notifications from the environment that systemd gives a
 * Type=notify service (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID). Outside
 * systemd every call does nothing. The relay has a supervisor of its own, so
 * that Podium.close() stopping every child leaves it running to send
 * STOPPING=1 and whatever follows.
 */
export function startSystemdService(
  parts: { sfu: Sfu },
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): SystemdService {
  const notifier = SdNotifier.start(env.NOTIFY_SOCKET, new Supervisor(logger), logger);
  const intervalMs = watchdogIntervalMs(env);
  const watchdog =
    notifier && intervalMs !== undefined
      ? new Watchdog({
          intervalMs,
          maxLoopDelayMs: Math.min(MAX_LOOP_DELAY_MS, intervalMs),
          probe: async (timeoutMs) => {
            await parts.sfu.ping(timeoutMs);

            return notifier.running ? undefined : 'the sd-notify relay has exited';
          },
          feed: () => notifier.send('WATCHDOG=1'),
          logger: logger.child({ module: 'watchdog' }),
        })
      : undefined;

  return {
    ready: () => {
      notifier?.send('READY=1');
      watchdog?.start();
      if (watchdog) logger.info({ intervalMs }, 'watchdog started');
    },
    stopping: () => {
      watchdog?.stop();
      notifier?.send('STOPPING=1');
    },
    close: async () => {
      watchdog?.stop();
      await notifier?.close();
    },
  };
}
