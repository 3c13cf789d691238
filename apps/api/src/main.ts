import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError, loadConfig } from '#cairn/shared/config';
import { closeGracefully, configureHttpApp, exitOnSignals } from '#cairn/shared/observability';
import { ApiModule } from './api.module.js';
import { startupUrls } from './startup-urls.js';

async function main() {
  const config = loadConfig();
  const app = configureHttpApp(await NestFactory.create(ApiModule.forRoot(config), { bufferLogs: true }));
  await app.listen(config.API_PORT);
  app.get(Logger).log(startupUrls(config));
  exitOnSignals(app, () => closeGracefully(app));
}

main().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
