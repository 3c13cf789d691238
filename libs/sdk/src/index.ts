// Cairn's typed client: generated documents and types (npm run sdk:generate) and a small fetch/graphql-ws client.
// Runs in browsers and Node alike: it imports nothing but graphql-ws.
export * from './cairn-client.js';
export * from './generated/graphql.js';
