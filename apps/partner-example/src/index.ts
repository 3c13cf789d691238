export * from './partner-server.js';
export * from './partner-users.js';
