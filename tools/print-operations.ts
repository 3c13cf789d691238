import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { declaredOperations, renderOperationsTable, withOperationsTable } from '#cairn/shared/auth';
import { buildApiSchema, writeOrCheck } from './generated-file.js';

// README.md's table of operations → people → scopes, generated from the resolvers' declared policies;
// `--check` fails when it is stale (test/operation-policies.e2e.spec.ts checks the same in `npm test`).
const README = new URL('../../README.md', import.meta.url);

await buildApiSchema();
const table = renderOperationsTable(declaredOperations());
writeOrCheck(
  README,
  withOperationsTable(readFileSync(README, 'utf8'), table),
  'README.md’s operations table',
  'npm run docs:operations',
);
