export * from './local-date.js';
export * from './recurrence.js';
