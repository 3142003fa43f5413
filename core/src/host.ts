// Assembles one host process: store, inbox writer, decoder, and the Hono app with its routes.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { HostConfig } from './config/types.ts';
import { adminApi, type AdminServices } from './api/admin-api.ts';
import { createStandardCapabilities } from './capabilities/standard.ts';
import { createEngine, type Engine } from './engine/run/engine.ts';
import { createDecoder, type Decoder } from './inbox/decoder.ts';
import { createRowDecoder } from './inbox/decode-row.ts';
import { createInboxWriter } from './inbox/writer.ts';
import { callbackRoutes } from './ingress/callback-routes.ts';
import { webhookRoutes } from './ingress/webhook-routes.ts';
import { createCatalog, type Catalog } from './catalog/catalog.ts';
import { liveDirectory } from './catalog/live-directory.ts';
import { suiteTicketReader } from './catalog/suite-tickets.ts';
import { sealerFromEnv, type Sealer } from './secrets/seal.ts';
import { createInstallAdmin } from './marketplace/install-admin.ts';
import { createMeter, meteredCapabilities } from './marketplace/metering.ts';
import { createPurger } from './marketplace/purger.ts';
import { createSuiteLifecycle, suiteCommandTypes, suiteSecretProtector } from './marketplace/suite-lifecycle.ts';
import { createTenantAdmin, defaultTimezone } from './marketplace/tenant-admin.ts';
import { createWecomClient } from './wecom/api/client.ts';
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
  /** The tenants, apps, suites and installs served, the config's and those made at run time. */
  catalog: Catalog;
  /** What the admin API's routes work on. */
  admin: AdminServices;
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
  let sealer: Sealer | undefined;
  // Asked for only when a sealed secret is written or read: a host serving its config file alone needs no key.
  const secrets = () => (sealer ??= sealerFromEnv());
  const catalog = createCatalog({ config, configInstalls: options.installs ?? [], store, sealer: secrets, logger });
  const directory = liveDirectory(catalog);
  const suiteTicket = suiteTicketReader(store, secrets);
  // One client: plugins and the suite lifecycle share its access and suite token caches.
  const wecomClient = createWecomClient({ baseUrl: config.wecom.baseUrl });
  // The sandbox workers start with the first action a run calls, not with the host.
  let runner: PluginRunner | undefined;
  const timezone = (tenantId: string) => catalog.current().tenants.get(tenantId)?.timezone ?? defaultTimezone;
  const meter = createMeter({ usage: store.usage(), timezone, logger });
  const ensureRunner = () => (runner ??= createPluginRunner({
    capabilities: meteredCapabilities(createStandardCapabilities(store, logger, { wecom: config.wecom, client: wecomClient, access: { catalog: catalog.current, suiteTicket }, metrics }), meter),
    size: config.sandbox.workers, maxIsolatesPerWorker: config.sandbox.maxIsolatesPerWorker, maxima: config.sandbox.maxima,
    onEvent: (event) => logger.warn(event, `sandbox: ${event.type}`),
    onInvocation: ({ scope, cpuMs }) => meter.invocation(scope, cpuMs),
  }));
  const sandbox = {
    runAction: (...args: Parameters<PluginRunner['runAction']>) => ensureRunner().runAction(...args),
    runTrigger: (...args: Parameters<PluginRunner['runTrigger']>) => ensureRunner().runTrigger(...args),
    runMigration: (...args: Parameters<PluginRunner['runMigration']>) => ensureRunner().runMigration(...args),
  };
  const retainDays = config.marketplace.retainDays;
  const tenants = createTenantAdmin({ store, catalog, secrets });
  const installs = createInstallAdmin({ store, catalog, secrets, migrate: sandbox.runMigration, maxima: config.sandbox.maxima, retainDays, logger });
  const suiteLifecycle = createSuiteLifecycle({
    store, catalog, client: wecomClient, suites: config.suites, secrets, retainDays, logger,
  });
  const engine = createEngine({
    store, installs: () => catalog.current().installs, runner: sandbox, config: config.engine, logger,
    timezone, hostEvents: { types: suiteCommandTypes, handle: suiteLifecycle },
  });
  catalog.onChange(() => engine.scheduler.reconcile());
  const purger = createPurger({ store, catalog, logger, catchUp: () => installs.catchUp() });
  const decoder = createDecoder({ store, decodeRow: createRowDecoder(directory, suiteSecretProtector(secrets, logger)), metrics, logger, onEvents: () => engine.wake() });
  const writer = createInboxWriter(store, { onCommitted: () => decoder.wake() });

  const app = new Hono();
  app.route('/', callbackRoutes({ directory, writer, metrics, logger }));
  app.route('/', opsRoutes({ store, metrics }));
  const admin: AdminServices = { store, catalog, tenants, installs, retainDays };
  app.route('/', adminApi({ ...admin, tokens: config.api.tokens, logger }));
  app.route('/', webhookRoutes({
    installs: () => catalog.current().installs, router: engine.router, logger, runTrigger: sandbox.runTrigger,
  }));
  app.notFound((c) => c.json(new LianjieError('route.not_found', `no route ${c.req.method} ${c.req.path}`).toJSON(), 404));
  app.onError((error, c) => {
    logger.error({ err: error }, 'unhandled error');
    return c.json(new LianjieError('internal', 'unexpected failure').toJSON(), 500);
  });

  let server: ServerType | undefined;
  return {
    app, store, decoder, engine, metrics, logger, catalog, admin,
    async listen() {
      await store.migrate();
      await catalog.start();
      meter.start();
      purger.start();
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
      catalog.stop();
      await purger.stop();
      await writer.flush();
      await decoder.stop();
      await engine.stop();
      await meter.close();
      await runner?.close();
      await store.close();
    },
  };
}
