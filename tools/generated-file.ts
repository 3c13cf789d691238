import { readFileSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { RESOLVERS } from '#cairn-app/api';

/** The API's schema built from its resolvers, without booting the API (no database, no Redis). */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
  await app.close();
  return schema;
}

/**
 * Writes a committed file generated from the code, or with `--check` fails when the committed one differs
 * (`npm test` runs the checks, so a stale file fails the build).
 */
export function writeOrCheck(file: URL, generated: string, what: string, regenerate: string): void {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // missing file: reported below as out of date
  }
  if (!process.argv.includes('--check')) {
    writeFileSync(file, generated);
    console.log(`Wrote ${what}`);
  } else if (committed !== generated) {
    console.error(`${what} is out of date with the code: run \`${regenerate}\` and commit it.`);
    process.exit(1);
  } else {
    console.log(`${what} matches the code`);
  }
}
