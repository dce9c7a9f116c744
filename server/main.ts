/** Starts the server (HTTP API, relays and job workers) against the configured Zeebe and database. */
import pino from 'pino';
import { loadConfig } from './config/config';
import { createApp, httpOptions } from './http/app';
import { startServices } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'lu-backoffice' } });
  const started = Date.now();
  const services = await startServices(config, log);
  let server: import('node:http').Server | undefined;
  if (config.ROLE !== 'workers') {
    const app = createApp(services, httpOptions(config, log));
    server = app.listen(config.PORT, config.HOST);
    await new Promise<void>((resolve) => server!.once('listening', resolve));
  }
  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ url: `http://${config.HOST}:${port}`, role: config.ROLE, demo: config.DEMO_MODE, ms: Date.now() - started }, 'server started');

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    server?.close();
    await services.stop().catch((err) => log.error({ err }, 'shutdown failed'));
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  // configuration errors and start-up failures: one clear line, no stack trace for config
  console.error(err instanceof Error && err.message.startsWith('Invalid configuration') ? err.message : err);
  process.exit(1);
});
