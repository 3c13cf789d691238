import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The SDK's typed documents, generated from the committed API contract (schema.graphql) and the partner
 * operations in src/operations. Paths are relative to the repository root, where `npm run sdk:generate` runs.
 * String documents (not graphql-js ASTs) keep the browser bundle free of the `graphql` package.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['libs/sdk/src/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'libs/sdk/src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', LocalDate: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: true,
      },
    },
  },
  emitLegacyCommonJSImports: false,
};

export default config;
