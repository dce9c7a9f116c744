/** Starts the server (HTTP API, relays and job workers) against the configured Zeebe and database. */
import pino from 'pino';
import { loadConfig } from './config/config';
import { createApp, httpOptions } from './http/app';
import { closeGracefully, opsApp } from './http/operations';
import { startServices } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'lu-backoffice', role: config.ROLE } });
  const started = Date.now();
  const services = await startServices(config, log);
  // ROLE=workers answers only the probes and metrics, on OPS_PORT
  const [app, port] = config.ROLE === 'workers' ? [opsApp(services, log), config.OPS_PORT] : [createApp(services, httpOptions(config, log)), config.PORT];
  const server = app.listen(port, config.HOST);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const url = `http://${config.HOST}:${typeof address === 'object' && address ? address.port : port}`;
  log.info({ url, demo: config.DEMO_MODE, ms: Date.now() - started }, 'server started');

  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  /**
   * Drains within SHUTDOWN_GRACE_MS: readiness answers 503 at once, no new connections, requests
   * in flight and running job handlers finish; then the Zeebe client and the database close.
   * A fifth of the grace (at most 3 s) is kept for closing, so the process ends within it.
   */
  async function shutdown(signal: string): Promise<void> {
    const signalledAt = Date.now();
    services.lifecycle.draining = true;
    const closeReserve = Math.min(3000, config.SHUTDOWN_GRACE_MS / 5);
    const drainDeadline = signalledAt + config.SHUTDOWN_GRACE_MS - closeReserve;
    setTimeout(() => {
      log.error({ signal }, 'shutdown took longer than SHUTDOWN_GRACE_MS; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'draining');
    try {
      await Promise.all([closeGracefully(server, drainDeadline), services.drain(drainDeadline)]);
      await services.close();
      log.info({ signal, ms: Date.now() - signalledAt }, 'stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  }
}

main().catch((err) => {
  // configuration errors and start-up failures: one clear line, no stack trace for config
  console.error(err instanceof Error && err.message.startsWith('Invalid configuration') ? err.message : err);
  process.exit(1);
});
