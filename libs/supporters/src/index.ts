export * from './supporters.module.js';
export * from './supporters.errors.js';
export * from './supporters/supporter.enums.js';
export * from './supporters/supporter.model.js';
