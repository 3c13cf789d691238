import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ResealSecretsModule, SecretResealer } from '#cairn/identity';

// An operator's step after adding a DATA_ENCRYPTION_KEYS write key (the worker also does it hourly): re-seals every
// stored secret under that key now, so the old key can be removed. Safe to run at any time, and again.
const app = await NestFactory.createApplicationContext(ResealSecretsModule.forRoot(), { logger: ['error', 'warn'] });
try {
  const { resealed, unreadable } = await app.get(SecretResealer).resealAll();
  console.log(`Re-sealed ${resealed} value(s) under the current write key`);
  if (unreadable > 0) {
    console.error(`${unreadable} value(s) open with no configured key: put the key that sealed them back in DATA_ENCRYPTION_KEYS`);
    process.exitCode = 1;
  }
} finally {
  await app.close();
}
