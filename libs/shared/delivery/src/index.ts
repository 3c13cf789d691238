export * from './attempt-state.js';
export * from './delivery-channel.js';
export * from './delivery-engine.js';
export * from './group-commit.js';
export * from './retry-schedule.js';
export * from './slots.js';
export * from './attempt-log.js';
