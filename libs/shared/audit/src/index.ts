export * from './audit-action.enum.js';
export * from './audit-trail.js';
export * from './audit.module.js';
