import { readdirSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../libs/sdk/codegen.js';
import { writeOrCheck } from './generated-file.js';

// The SDK's generated code (libs/sdk/src/generated) from schema.graphql and libs/sdk/src/operations; `--check`
// fails when the committed files differ, or when a file is there that the generator no longer writes.
const outputs: Array<{ filename: string; content: string }> = await generate(
  { ...config, silent: true, cwd: process.cwd() },
  false,
);
const root = new URL('../../', import.meta.url);
for (const output of outputs) {
  writeOrCheck(new URL(output.filename, root), output.content, output.filename, 'npm run sdk:generate');
}
const written = new Set(outputs.map((o) => o.filename.replace(/^.*\//, '')));
const extra = readdirSync(new URL('libs/sdk/src/generated/', root)).filter((file) => !written.has(file));
if (extra.length > 0) {
  console.error(
    `libs/sdk/src/generated has files the generator does not write (${extra.join(', ')}): delete them.`,
  );
  process.exit(1);
}
