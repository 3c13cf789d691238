export * from './firm-fixture.js';
export * from './graphql-client.js';
export * from './test-env.js';
export * from './smtp-sink.js';
export * from './own-database.js';
export * from './processes.js';
export * from './redis-cluster.js';
export * from './live-notifications.js';
