// Nest 12 ships ESM only, so tests run as native ESM (NODE_OPTIONS=--experimental-vm-modules, see package.json).
const swc = {
  jsc: {
    target: 'es2023',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const project = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^#cairn/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^#cairn-app/(.*)$': '<rootDir>/apps/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

export default {
  // Unit specs of apps and libs need no database, so they get no global set-up (and Nx may cache them); the
  // end-to-end suites get a brand-new test database per run. Plain `jest` runs both.
  projects: [
    { ...project, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...project,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.ts',
    },
  ],
  // Tests and hooks (beforeAll/afterAll too) wait for events up to EVENT_WAIT_MS (libs/shared/testing): room for
  // that and the setup around it, so that a busy CI machine makes a slower green, not a red. A run-wide option:
  // jest ignores it inside `projects`.
  testTimeout: 120_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
