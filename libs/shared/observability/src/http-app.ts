import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { requestContextMiddleware } from './request-context.middleware.js';

/** Shared by main.ts and the e2e tests so both run the exact same HTTP pipeline. */
export function configureHttpApp(app: INestApplication): INestApplication {
  app.use(requestContextMiddleware);
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: stop accepting, let in-flight requests and jobs finish, close pools.
  app.enableShutdownHooks();
  return app;
}
