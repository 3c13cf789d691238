import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, loadConfig } from '#cairn/shared/config';
import { exitOnSignals } from '#cairn/shared/observability';
import { closeWorkerGracefully } from '#cairn/shared/queue';
import { WorkerModule } from './worker.module.js';

async function main() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: stop taking jobs, let the active ones finish, then close connections.
  exitOnSignals(app, () => closeWorkerGracefully(app));
  app.get(Logger).log('Worker started');
}

main().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
