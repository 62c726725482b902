import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger } from './log.js';
import { startPodium } from './podium.js';
import { ProfileSettingError } from './ptz/create-ptz-devices.js';
import { startSystemdService } from './service/systemd-service.js';

/**
 * Entry point of the appliance service: `node dist/appliance/main.js
 * [--config FILE]`. PODIUM_CONFIG names the file when --config is absent;
 * without either, every key takes its default.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } } });
  const configPath = values.config ?? process.env.PODIUM_CONFIG;
  let config;

  try {
    config = loadConfig(configPath);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`podium: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger(config.log.level);
  const podium = await startPodium(config, logger);
  const service = startSystemdService(podium, logger);
  const exit = (code: number) => {
    service.stopping();
    void podium
      .close()
      .then(() => service.close())
      .then(() => process.exit(code));
  };
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutdown requested');
    exit(0);
  };

  // A dead worker is replaced in-process. Only when no new worker starts
  // after the retries does Podium exit, for systemd (Restart=on-failure) to
  // start it again; the next start restores the running event.
  podium.sfu.once('failed', () => exit(1));
  service.ready();
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`podium: ${(error as Error).message}\n`);
  // A PTZ profile named in the configuration is part of the configuration: exit 2 like a bad key.
  process.exit(error instanceof ProfileSettingError ? 2 : 1);
});
