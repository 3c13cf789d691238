import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Business code lives in domain libs, plumbing in shared libs: apps compose, libs never reach up.
// Every constraint whose sourceTag a project has applies, so a domain lib obeys its type and its layer.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:shared'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:shared'] },
  // Domains emit into the events contract (libs/shared/events); its subscribers are wired by the apps only.
  { sourceTag: 'type:domain', notDependOnLibsWithTags: ['role:event-subscriber'] },
  // Layers of domains, lowest first; a layer reads its own and lower ones (README, Architecture).
  { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:core', 'type:shared'] },
  { sourceTag: 'layer:channels', onlyDependOnLibsWithTags: ['layer:core', 'layer:channels', 'type:shared'] },
  {
    sourceTag: 'layer:coaching',
    onlyDependOnLibsWithTags: ['layer:core', 'layer:channels', 'layer:coaching', 'type:shared'],
  },
  {
    sourceTag: 'layer:insight',
    onlyDependOnLibsWithTags: ['layer:core', 'layer:channels', 'layer:coaching', 'layer:insight', 'type:shared'],
  },
  {
    sourceTag: 'layer:privacy',
    onlyDependOnLibsWithTags: ['layer:core', 'layer:channels', 'layer:coaching', 'layer:insight', 'layer:privacy', 'type:shared'],
  },
  { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:shared'] },
  // Generic test helpers; what needs an app (its module, migrations, built entry points) is in test/support.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:shared'] },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:testing', 'type:domain', 'type:shared', 'type:app', 'type:demo', 'type:sdk', 'type:example'],
  },
  // The SDK is what partners would copy: it speaks GraphQL and depends on nothing of ours; the partner example
  // uses the SDK only, as a partner would.
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:sdk'] },
  // Demo data speaks only GraphQL, so it depends on nothing of ours.
  { sourceTag: 'type:demo', onlyDependOnLibsWithTags: [] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.nx/**', '.data/**', 'libs/sdk/src/generated/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints }],
    },
  },
  {
    // Test harnesses and tools boot the composed apps; nothing else may import an app.
    files: ['test/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: ['#cairn-app/api', '#cairn-app/worker', '#cairn-app/partner-example'], depConstraints }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
