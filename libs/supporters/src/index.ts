export * from './supporters.module.js';
export * from './supporters.errors.js';
export * from './supporters/supporter.enums.js';
export * from './supporters/supporter.model.js';
export * from './digest/supporter-digest.planner.js';
export * from './digest/supporter-digest.types.js';
