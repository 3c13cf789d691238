import 'reflect-metadata';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema, writeOrCheck } from './generated-file.js';

// The committed schema.graphql is the API contract; `--check` fails when code and file disagree.
const schema = await buildApiSchema();
writeOrCheck(
  new URL('../../schema.graphql', import.meta.url),
  `${printSchema(lexicographicSortSchema(schema))}\n`,
  'schema.graphql',
  'npm run schema:print',
);
