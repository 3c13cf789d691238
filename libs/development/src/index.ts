export * from './development.module.js';
