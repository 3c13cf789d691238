import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '#cairn/shared/config';
import { graphqlExplorer, graphqlHttpGuard, HTTP_DRAINING_EVENT } from '#cairn/shared/graphql';
import { requestContextMiddleware } from './request-context.middleware.js';

/** Shared by main.ts and the e2e tests so both run the exact same HTTP pipeline. */
export function configureHttpApp(app: INestApplication): INestApplication {
  // req.ip is the client address sign-in limits count by: behind N proxies, N hops into X-Forwarded-For.
  (app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void }).set(
    'trust proxy',
    app.get(AppConfig).TRUST_PROXY_HOPS,
  );
  app.use(requestContextMiddleware);
  // Before Apollo, which would answer a browser's GET /graphql with a CSRF 400.
  if (app.get(AppConfig).graphqlExplorerEnabled) app.use(graphqlExplorer());
  app.use(graphqlHttpGuard);
  app.useLogger(app.get(Logger));
  return app;
}

/**
 * Stop accepting, let in-flight requests answer (at most `timeoutMs`, then their connections are cut), and
 * only then run Nest's close(), which tears down the database pool: pools never close under a running request,
 * and a stuck request cannot hold shutdown open.
 */
export async function closeGracefully(app: INestApplication, timeoutMs = 10_000): Promise<void> {
  const server = app.getHttpServer() as Server;
  if (server.listening) {
    // WebSocket (subscription) clients are told to reconnect elsewhere now rather than holding close() open.
    server.emit(HTTP_DRAINING_EVENT);
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, timeoutMs);
      deadline.unref();
      server.close(() => {
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
  }
  await app.close();
}

/** SIGTERM/SIGINT run `drain` (e.g. closeGracefully) once, then exit. */
export function exitOnSignals(app: INestApplicationContext, drain: () => Promise<void>): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    const logger = app.get(Logger);
    logger.log(`${signal} received: finishing in-flight work`);
    drain()
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error(error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
