export * from './private-address.js';
