// Assembles one host process: store, inbox writer, decoder, and the Hono app with its routes.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { HostConfig } from './config/types.ts';
import { adminApi } from './api/admin-api.ts';
import { createStandardCapabilities } from './capabilities/standard.ts';
import { createEngine, type Engine } from './engine/run/engine.ts';
import { createDecoder, type Decoder } from './inbox/decoder.ts';
import { createRowDecoder } from './inbox/decode-row.ts';
import { createInboxWriter } from './inbox/writer.ts';
import { callbackRoutes } from './ingress/callback-routes.ts';
import { webhookRoutes } from './ingress/webhook-routes.ts';
import { createDirectory } from './ingress/directory.ts';
import { LianjieError } from './errors.ts';
import { createLogger, type Logger } from './ops/logger.ts';
import { createHostMetrics, type HostMetrics } from './ops/metrics.ts';
import { opsRoutes } from './ops/routes.ts';
import type { Install } from './plugins/types.ts';
import { createPluginRunner, type PluginRunner } from './sandbox/runner.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/types.ts';

/** How long `close()` waits for requests in flight before cutting their connections. */
const closeGraceMs = 5000;

export interface Host {
  app: Hono;
  store: Store;
  decoder: Decoder;
  engine: Engine;
  metrics: HostMetrics;
  logger: Logger;
  /** Migrates, starts the decoder and listens; resolves with the address it listens on. */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops accepting, lets in-flight writes finish, stops the decoder, closes the store. */
  close(): Promise<void>;
}

export interface HostOptions {
  logger?: Logger;
  /** Start the background decoder (default true); tests that step it by hand pass false. */
  decode?: boolean;
  /** Start the workflow engine (default true); tests that step it by hand pass false. */
  run?: boolean;
  /** The installs of the config, loaded (core/src/plugins/installs.ts); none by default. */
  installs?: readonly Install[];
}

export function createHost(config: HostConfig, options: HostOptions = {}): Host {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = openStore(config.database, { synchronous: config.sqlite.synchronous });
  const metrics = createHostMetrics();
  const directory = createDirectory(config);
  // The sandbox workers start with the first action a run calls, not with the host.
  let runner: PluginRunner | undefined;
  const ensureRunner = () => (runner ??= createPluginRunner({
    capabilities: createStandardCapabilities(store, logger, { config, metrics }), size: config.sandbox.workers,
    maxIsolatesPerWorker: config.sandbox.maxIsolatesPerWorker, maxima: config.sandbox.maxima,
    onEvent: (event) => logger.warn(event, `sandbox: ${event.type}`),
  }));
  const sandbox = {
    runAction: (...args: Parameters<PluginRunner['runAction']>) => ensureRunner().runAction(...args),
    runTrigger: (...args: Parameters<PluginRunner['runTrigger']>) => ensureRunner().runTrigger(...args),
  };
  const engine = createEngine({
    store, installs: options.installs ?? [], runner: sandbox, config: config.engine, logger,
    timezones: new Map(config.tenants.map((t) => [t.id, t.timezone])),
  });
  const decoder = createDecoder({ store, decodeRow: createRowDecoder(directory), metrics, logger, onEvents: () => engine.wake() });
  const writer = createInboxWriter(store, { onCommitted: () => decoder.wake() });

  const app = new Hono();
  app.route('/', callbackRoutes({ directory, writer, metrics, logger }));
  app.route('/', opsRoutes({ store, metrics }));
  app.route('/', adminApi({ store, tokens: config.api.tokens, logger }));
  app.route('/', webhookRoutes({
    installs: options.installs ?? [], router: engine.router, logger,
    secrets: new Map(config.installs.flatMap((i) => (i.webhookSecret ? [[i.id, i.webhookSecret] as const] : []))),
    runTrigger: sandbox.runTrigger,
  }));
  app.notFound((c) => c.json(new LianjieError('route.not_found', `no route ${c.req.method} ${c.req.path}`).toJSON(), 404));
  app.onError((error, c) => {
    logger.error({ err: error }, 'unhandled error');
    return c.json(new LianjieError('internal', 'unexpected failure').toJSON(), 500);
  });

  let server: ServerType | undefined;
  return {
    app, store, decoder, engine, metrics, logger,
    async listen() {
      await store.migrate();
      const address = await new Promise<{ url: string; port: number }>((resolve, reject) => {
        server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
          resolve({ url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`, port: info.port });
        });
        server.once('error', (error: NodeJS.ErrnoException) => {
          reject(new LianjieError('host.listen_failed', `cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`, [], { cause: error }));
        });
      });
      if (options.decode !== false) decoder.start();
      if (options.run !== false) engine.start();
      return address;
    },
    async close() {
      if (server) {
        // Requests in flight get a grace period to finish; connections still open after it are cut.
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        const grace = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), closeGraceMs);
        await closed;
        clearTimeout(grace);
      }
      await writer.flush();
      await decoder.stop();
      await engine.stop();
      await runner?.close();
      await store.close();
    },
  };
}
