// Test support that knows the apps (their module, migrations, built entry points): beside the suites, so
// libs/shared/testing never points up at an app.
export * from './app-processes.js';
export * from './emails.js';
export * from './migrations.js';
export * from './test-api.js';
export * from './schema-calls.js';
export * from './audit-log.js';
